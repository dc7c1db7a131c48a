"""Files sealed at rest: an upload that holds identity numbers (a roster waiting to be
screened) is written encrypted and read back decrypted as a stream, so that what lies
on disk or in object storage while it waits is never the numbers in clear.

The format is the STREAM construction over AES-256-GCM (``cryptography``'s AEAD): a
magic, a random 7-byte nonce prefix, then segments of up to 64 KiB of plaintext, each
``length || ciphertext`` under the nonce ``prefix || counter || last``. Segments cannot
be reordered, dropped or cut off at the end without decryption failing. The key is
derived by HKDF-SHA256 from ``IDENTITY_ENCRYPTION_KEY`` (its own label, so no bytes are
shared with the identity numbers' key); files sealed under a key listed in
``IDENTITY_ENCRYPTION_KEY_FALLBACKS`` still open.
"""

import io
import os
import struct
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from .identity import derived_key

MAGIC = b"PSF1"
PREFIX_BYTES = 7
SEGMENT = 64 * 1024
_LENGTH = struct.Struct(">I")
_TAG_BYTES = 16


class SealedFileError(ValueError):
    """The file was altered, cut short or sealed under a key no longer configured."""


@lru_cache(maxsize=4)
def _aead(key: str) -> AESGCM:
    return AESGCM(derived_key(key, b"portal sealed files aes-gcm"))


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class SealedWriter(io.RawIOBase):
    """Write plaintext, put ciphertext in ``target`` (a binary file); ``close()``
    writes the last segment and leaves ``target`` open."""

    def __init__(self, target):
        self._target, self._buffer, self._counter = target, bytearray(), 0
        self._aead = _aead(settings.IDENTITY_ENCRYPTION_KEY)
        self._prefix = os.urandom(PREFIX_BYTES)
        target.write(MAGIC + self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        # Keep at least one byte back: the segment written last must be marked last.
        while len(self._buffer) > SEGMENT:
            self._segment(bytes(self._buffer[:SEGMENT]), last=False)
            del self._buffer[:SEGMENT]
        return len(data)

    def _segment(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter, last), plain, MAGIC)
        self._target.write(_LENGTH.pack(len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._segment(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class SealedReader(io.RawIOBase):
    """Read the plaintext of a sealed ``source`` (a binary file positioned at its
    start), one segment at a time; wrap it in ``io.BufferedReader`` and
    ``io.TextIOWrapper`` to read lines."""

    def __init__(self, source):
        self._source, self._counter, self._done = source, 0, False
        head = source.read(len(MAGIC) + PREFIX_BYTES)
        if head[: len(MAGIC)] != MAGIC or len(head) != len(MAGIC) + PREFIX_BYTES:
            raise SealedFileError("not a sealed file")
        self._prefix, self._plain, self._at = head[len(MAGIC) :], b"", 0
        self._aead = None

    def readable(self) -> bool:
        return True

    def _open(self, nonce: bytes, sealed: bytes) -> bytes:
        if self._aead is not None:
            return self._aead.decrypt(nonce, sealed, MAGIC)
        keys = [settings.IDENTITY_ENCRYPTION_KEY, *settings.IDENTITY_ENCRYPTION_KEY_FALLBACKS]
        for key in keys:  # the first segment tells which key sealed the file
            try:
                plain = _aead(key).decrypt(nonce, sealed, MAGIC)
            except InvalidTag:
                continue
            self._aead = _aead(key)
            return plain
        raise InvalidTag

    def _next_segment(self) -> None:
        header = self._source.read(_LENGTH.size)
        if len(header) != _LENGTH.size:
            raise SealedFileError("the sealed file is cut short")
        (length,) = _LENGTH.unpack(header)
        if length < _TAG_BYTES or length > SEGMENT + _TAG_BYTES:
            raise SealedFileError("a segment of the sealed file is malformed")
        sealed = self._source.read(length)
        if len(sealed) != length:
            raise SealedFileError("the sealed file is cut short")
        for last in (False, True):
            try:
                self._plain = self._open(_nonce(self._prefix, self._counter, last), sealed)
                self._at = 0
            except InvalidTag:
                continue
            self._done, self._counter = last, self._counter + 1
            if last and self._source.read(1):
                raise SealedFileError("the sealed file goes on after its last segment")
            return
        raise SealedFileError("the sealed file was altered or its key is not configured")

    def readinto(self, buffer) -> int:
        while self._at == len(self._plain) and not self._done:
            self._next_segment()
        n = min(len(buffer), len(self._plain) - self._at)
        buffer[:n] = self._plain[self._at : self._at + n]
        self._at += n
        return n


def is_sealed(source) -> bool:
    """Whether the binary file ``source`` (at its start) is sealed; it is left at its start."""
    head = source.read(len(MAGIC))
    source.seek(0)
    return head == MAGIC


def open_text(source, encoding: str) -> io.TextIOWrapper:
    """A text reader of ``source``, a binary file at its start: decrypted if sealed,
    as it is if not (files written before sealing)."""
    raw = io.BufferedReader(SealedReader(source)) if is_sealed(source) else source
    return io.TextIOWrapper(raw, encoding=encoding, newline="")
