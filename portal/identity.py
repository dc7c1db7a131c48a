"""Identity numbers: validation, masking, encryption at rest and keyed lookup.

Resident ID numbers (GB 11643) and unified social credit codes (GB 32100)
are validated with python-stdnum. A resident ID number is never stored in
clear: it is encrypted with Fernet, found by an HMAC-SHA256 of its
canonical form, and shown masked (``110105********123X``).
"""

import base64
import hashlib
import hmac
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet
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


def mask_name(name: str) -> str:
    """Hide all but the first character of a person's name: 张伟 → 张*, 欧阳娜娜 → 欧***."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    if not key:
        raise ImproperlyConfigured("IDENTITY_ENCRYPTION_KEY is not set.")
    return Fernet(key.encode())


def _hash_key() -> bytes:
    key = settings.IDENTITY_HASH_KEY
    if not key:
        raise ImproperlyConfigured("IDENTITY_HASH_KEY is not set.")
    return key.encode()


def encrypt_identity(number: str) -> str:
    return _fernet(settings.IDENTITY_ENCRYPTION_KEY).encrypt(number.encode()).decode()


def decrypt_identity(token: str) -> str:
    return _fernet(settings.IDENTITY_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def identity_hash(number: str) -> str:
    """Keyed hash of the canonical form: equal numbers give equal hashes, nothing else leaks."""
    digest = hmac.new(_hash_key(), normalise_ric(number).encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().rstrip("=").lower()
