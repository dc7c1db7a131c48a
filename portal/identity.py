"""Identity numbers: validation, masking, encryption at rest and keyed lookup.

Resident ID numbers (GB 11643) and unified social credit codes (GB 32100)
are validated with python-stdnum. A resident ID number is never stored in
clear: it is encrypted with AES-256-GCM (``cryptography``'s AEAD, a random
96-bit nonce per number, the key derived by HKDF-SHA256 from
``IDENTITY_ENCRYPTION_KEY``), found by an HMAC-SHA256 of its canonical form,
and shown masked (``110105********123X``). Numbers encrypted earlier with
Fernet (same key setting) still decrypt.
"""

import base64
import hmac
import os
import re
from datetime import date
from functools import lru_cache
from operator import mul

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc


def normalise_ric(value: str) -> str:
    if value and value.isascii() and value.isalnum():  # already compact: skip stdnum's pass
        return value.upper()
    return ric.compact(value or "").upper()


def validate_ric(value: str) -> str:
    """Validate a resident ID number; return its canonical 18-character form.

    Checks the length, the birth date it carries (a real date, not in the
    future), the administrative division code of its first six digits (as
    python-stdnum's table has it for the birth year) and the GB 11643 check
    digit (X included); each fault has its own message.
    """
    number = normalise_ric(value)
    if len(number) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="ric_length")
    if not ric.isdigits(number[:-1]) or number[-1] not in "0123456789X":
        raise ValidationError(
            _("A resident ID number has 17 digits followed by a digit or X."), code="ric_format"
        )
    try:
        ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("This resident ID number does not carry a valid birth date."), code="ric_birth"
        ) from exc
    if not _division_in_use(number[:6], int(number[6:10])):
        raise ValidationError(
            _(
                "The first six digits of this resident ID number are not an administrative "
                "division code in use in its birth year."
            ),
            code="ric_region",
        )
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(
            _("The check digit of this resident ID number is wrong."), code="ric_checksum"
        )
    if ric_birth_date(number) > timezone.localdate():
        raise ValidationError(
            _("The birth date in this resident ID number is in the future."), code="ric_future"
        )
    return number


@lru_cache(maxsize=65536)
def _division_in_use(division: str, year: int) -> bool:
    """Whether python-stdnum's table has ``division`` in use in ``year`` (cached: the
    table lookup is the slow part of checking a number, and batches repeat regions)."""
    try:
        ric.get_birth_place(f"{division}{year:04d}01010000")
    except (stdnum_errors.ValidationError, KeyError):
        # KeyError: stdnum's table knows the code only above county level (e.g. 648150)
        return False
    return True


# GB 11643 weights of the 17 digits before the check character: 2^(17-i) mod 11.
_RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))


# The digits are summed as their ASCII codes, then 48 ("0") times each weight taken off.
_RIC_ASCII_OFFSET = ord("0") * sum(_RIC_WEIGHTS)


_RIC_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")


def ric_fast(value: str, today: date) -> str | None:
    """The canonical form of a well-formed resident ID number, checked by the same
    rules as ``portal.identity.validate_ric`` without its per-call overhead; ``None``
    when anything is off, and ``validate_ric`` then says what (one set of messages)."""
    number = value.upper()
    if not _RIC_SHAPE.match(number):
        return None
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if born > today or not _division_in_use(number[:6], born.year):
        return None
    total = sum(map(mul, number[:17].encode(), _RIC_WEIGHTS)) - _RIC_ASCII_OFFSET
    check = (12 - total % 11) % 11
    if number[-1] != ("X" if check == 10 else str(check)):
        return None
    return number


# GB 32100: the code's 31 characters and the weights of its first 17 (3^i mod 31).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}


_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


_USCC_SHAPE = re.compile(r"^[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_fast(value: str) -> str | None:
    """A well-formed unified social credit code, upper-cased, checked as
    ``portal.identity.validate_uscc`` checks it; ``None`` otherwise (the shared
    validator then gives the message)."""
    code = value.upper()
    if not _USCC_SHAPE.match(code):
        return None
    total = sum(map(mul, map(_USCC_VALUE.__getitem__, code[:17]), _USCC_WEIGHTS))
    return code if code[-1] == _USCC_ALPHABET[-total % 31] else None


def ric_birth_date(number: str) -> date:
    return ric.get_birth_date(normalise_ric(number))


def validate_uscc(value: str) -> str:
    """Validate a unified social credit code (GB 32100); return it upper-cased."""
    code = uscc.compact(value or "").upper()
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong."),
            code="uscc_checksum",
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("This is not a valid unified social credit code (18 characters)."), code="uscc"
        ) from exc
    return code


def mask_ric(number: str) -> str:
    """``110105194912310021`` → ``110105********0021``: region code and last four kept."""
    number = normalise_ric(number)
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


NAME_MASK = "**"


def mask_name(name: str) -> str:
    """Hide all but the first character of a person's name, behind a mask of one
    width whatever the name's length: 张伟 → 张**, 欧阳娜娜 → 欧**."""
    name = (name or "").strip()
    return name[:1] + NAME_MASK if name else ""


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    if not key:
        raise ImproperlyConfigured("IDENTITY_ENCRYPTION_KEY is not set.")
    return Fernet(key.encode())


# Tokens of the current scheme start with this; Fernet's start with "gAAAAA".
_AEAD_PREFIX = "a1."
_NONCE_BYTES = 12


@lru_cache(maxsize=4)
def _aead(key: str) -> AESGCM:
    """AES-256-GCM under a key derived from the configured one (HKDF-SHA256), so the
    Fernet key's bytes are never used as they are by a second algorithm."""
    return AESGCM(derived_key(key, b"portal identity numbers aes-gcm"))


def derived_key(key: str, label: bytes) -> bytes:
    """A 32-byte key for one use (``label``), derived by HKDF-SHA256 from a key of the
    ``IDENTITY_ENCRYPTION_KEY`` setting, checked as Fernet checks it."""
    _fernet(key)  # the same setting, checked the same way
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(
        base64.urlsafe_b64decode(key.encode())
    )


def hash_key() -> bytes:
    key = settings.IDENTITY_HASH_KEY
    if not key:
        raise ImproperlyConfigured("IDENTITY_HASH_KEY is not set.")
    return key.encode()


def encrypt_identity(number: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _aead(settings.IDENTITY_ENCRYPTION_KEY).encrypt(nonce, number.encode(), None)
    return _AEAD_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def _decrypt_with(key: str, token: str) -> str:
    if token.startswith(_AEAD_PREFIX):
        raw = base64.urlsafe_b64decode(token[len(_AEAD_PREFIX) :].encode())
        return _aead(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()
    return _fernet(key).decrypt(token.encode()).decode()


def decrypt_identity(token: str) -> str:
    """The number a token holds; raises if the token was altered (GCM's tag, Fernet's
    HMAC). Tokens sealed under a key listed in ``IDENTITY_ENCRYPTION_KEY_FALLBACKS``
    still open, so that the key can be rotated (``manage.py reseal_identity_numbers``)."""
    keys = [settings.IDENTITY_ENCRYPTION_KEY, *settings.IDENTITY_ENCRYPTION_KEY_FALLBACKS]
    for key in keys[:-1]:
        try:
            return _decrypt_with(key, token)
        except (InvalidTag, InvalidToken):
            continue
    return _decrypt_with(keys[-1], token)


def sealed_under_current_key(token: str) -> bool:
    """Whether ``token`` opens with the current key and its current scheme (AES-GCM)."""
    if not token.startswith(_AEAD_PREFIX):
        return False
    try:
        _decrypt_with(settings.IDENTITY_ENCRYPTION_KEY, token)
    except InvalidTag:
        return False
    return True


# RFC 4648 base 32, two characters for each 10 bits (the hashes below are base 32).
_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_B32_PAIRS = [_B32[i >> 5] + _B32[i & 31] for i in range(1024)]


def identity_hash(number: str) -> str:
    """Keyed hash of the canonical form: equal numbers give equal hashes, nothing else leaks.

    HMAC-SHA256 in lower-case base 32 without padding (52 characters), the digest's
    256 bits read as 26 groups of 10 (the last padded with four zero bits), as
    ``base64.b32encode`` would write it, in a tenth of the time."""
    digest = hmac.digest(hash_key(), normalise_ric(number).encode(), "sha256")
    bits = int.from_bytes(digest, "big") << 4
    return "".join([_B32_PAIRS[(bits >> shift) & 1023] for shift in range(250, -1, -10)])


# Domain separation: a phone number and an identity number with the same digits
# never share a hash.
PHONE_HASH_PREFIX = "phone:"


# The same hash in PostgreSQL (pgcrypto), for the benchmarks that write cases by the
# million in SQL: ``{phone}`` is an SQL expression, ``%(phone_key)s`` the key's bytes.
PHONE_HASH_SQL = (
    f"encode(hmac(convert_to('{PHONE_HASH_PREFIX}' || {{phone}}, 'UTF8'), %(phone_key)s,"
    " 'sha256'), 'hex')"
)


def phone_hash(phone: str) -> str:
    """Keyed hash of a phone number as intake normalises it (digits only): the search
    box and the duplicate check find a consumer's cases by it, never by the number.

    HMAC-SHA256 under ``IDENTITY_HASH_KEY`` of ``"phone:" + phone``, in lower-case
    hex (64 characters; ``PHONE_HASH_SQL`` is the same in PostgreSQL). Empty for no
    phone."""
    if not phone:
        return ""
    return hmac.new(hash_key(), (PHONE_HASH_PREFIX + phone).encode(), "sha256").hexdigest()
