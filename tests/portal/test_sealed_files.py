"""Files sealed at rest: what is written comes back whole, nothing of it lies in
clear, and an altered, reordered or shortened file is refused."""

import io

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from portal.sealed_files import SEGMENT, SealedFileError, SealedWriter, open_text

NUMBER = "110105194912310021"


def _sealed(text: str) -> bytes:
    target = io.BytesIO()
    with SealedWriter(target) as writer:
        data = text.encode()
        for at in range(0, len(data), 10_000):  # written in pieces, as an upload comes
            writer.write(data[at : at + 10_000])
    return target.getvalue()


def _read(sealed: bytes) -> str:
    return open_text(io.BytesIO(sealed), "utf-8").read()


@pytest.mark.parametrize("size", [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 7])
def test_what_is_sealed_reads_back_whole(size):
    text = (f"{NUMBER},张伟\n" * (size // 20 + 1))[:size]
    sealed = _sealed(text)
    assert _read(sealed) == text
    if size >= len(NUMBER) + 3:
        assert NUMBER.encode() not in sealed and "张伟".encode() not in sealed


def test_an_altered_byte_is_refused():
    sealed = bytearray(_sealed(f"{NUMBER}\n" * 10_000))
    sealed[len(sealed) // 2] ^= 1
    with pytest.raises(SealedFileError):
        _read(bytes(sealed))


def test_a_file_cut_after_a_whole_segment_is_refused():
    sealed = _sealed("x" * (2 * SEGMENT + 5))
    first_segment_end = 4 + 7 + 4 + SEGMENT + 16
    with pytest.raises(SealedFileError):
        _read(sealed[:first_segment_end])


def test_a_file_in_clear_is_read_as_it_is():
    assert open_text(io.BytesIO(b"reference,name\nr-1,Li\n"), "utf-8").read().startswith("ref")


def test_a_file_sealed_under_a_retired_key_still_opens(settings):
    old = settings.IDENTITY_ENCRYPTION_KEY
    sealed = _sealed("r-1,张伟\n")
    with override_settings(
        IDENTITY_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        IDENTITY_ENCRYPTION_KEY_FALLBACKS=[old],
    ):
        assert _read(sealed) == "r-1,张伟\n"
    with (
        override_settings(
            IDENTITY_ENCRYPTION_KEY=Fernet.generate_key().decode(),
            IDENTITY_ENCRYPTION_KEY_FALLBACKS=[],
        ),
        pytest.raises(SealedFileError),
    ):
        _read(sealed)
