"""Identity numbers inside free text: found at write, held as the structured ones are.

Facts, descriptions, reasons, notes, answers and messages are prose that people
type, and people type numbers into them: "当事人身份证号110105194912310021",
"请拨打13800138000联系我". Each such field is a :class:`portal.fields.MaskedTextField`
(append-only trails: the text is stored masked, the clear text is nowhere) or a
:class:`portal.fields.SealedTextField` (the text is stored masked, and the clear
text encrypted beside it, for the roles that may see it, by an audited reveal).

What is found:

- resident ID numbers (GB 11643) that python-stdnum finds valid (length, birth
  date, birth place and check digit), written whole or in the 6-8-4 groups
  people write with spaces or hyphens, and not part of a longer run of digits
  or letters (an order number of 24 digits is not an ID number);
- mainland mobile numbers (11 digits, 13x–19x), with or without +86 and with
  the 3-4-4 grouping, again not inside a longer run of digits.

Masked as elsewhere: ``110105********0021`` and ``138****8000``.
"""

import re
from collections.abc import Iterator

from stdnum.cn import ric

from .identity import decrypt_identity, encrypt_identity, mask_ric

_RIC = re.compile(r"(?<![0-9A-Za-z])(\d{6})[- ]?(\d{8})[- ]?(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9+])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")


def _spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, masked form) of each identity number in ``text``, in order."""
    taken: list[tuple[int, int]] = []
    for match in _RIC.finditer(text):
        number = "".join(match.groups()).upper()
        if ric.is_valid(number):
            taken.append((match.start(), match.end()))
            yield match.start(), match.end(), mask_ric(number)
    for match in _MOBILE.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        head, _middle, tail = match.groups()
        yield match.start(), match.end(), f"{head}****{tail}"


def has_identifiers(text: str) -> bool:
    return bool(text) and next(_spans(text), None) is not None


def mask_text(text: str) -> str:
    """``text`` with every identity number in it masked; itself when there is none."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    spans = sorted(_spans(text))
    if not spans:
        return text
    out, at = [], 0
    for start, end, masked in spans:
        out.append(text[at:start])
        out.append(masked)
        at = end
    out.append(text[at:])
    return "".join(out)


def mask_data(value):
    """A JSON value with every string in it masked (keys are the portal's own)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: mask_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_data(item) for item in value]
    return value


def seal_text(text: str) -> tuple[str, str]:
    """``(masked text, token)``: the token holds the clear text encrypted, and is
    empty when the text has no identity number in it."""
    masked = mask_text(text)
    if masked == text:
        return text, ""
    return masked, encrypt_identity(text)


def unseal_text(masked: str, token: str) -> str:
    """The clear text of a sealed field: what ``token`` holds when it is the text
    that was masked into ``masked``; ``masked`` itself otherwise (nothing was
    sealed, or the text was edited since)."""
    if not token:
        return masked
    clear = decrypt_identity(token)
    return clear if mask_text(clear) == masked else masked
