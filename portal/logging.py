"""Log records as JSON lines, each with its request id, never with an identity number.

``RequestIdFilter`` stamps every record with the id of the request being served
(``portal.middleware.RequestIdMiddleware``). ``IdentityMaskFilter`` and the two
formatters mask anything that validates as a resident ID number (GB 11643) or a
unified social credit code (GB 32100): the filter rewrites the message so that
every handler gets the masked text; the formatters mask what they finally
write, extras and tracebacks included.
"""

import contextvars
import logging
import re

from pythonjsonlogger.json import JsonFormatter
from stdnum.cn import ric, uscc

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# 18 characters not inside a longer run of digits (or of code characters):
# "ID330106…", "身份证号330106…" and "id=330106…" are all found.
_RIC_CANDIDATE = re.compile(r"(?<!\d)\d{17}[0-9Xx](?![0-9A-Za-z])")
_USCC_CANDIDATE = re.compile(
    r"(?<![0-9A-Z])[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}(?![0-9A-Z])"
)


def _mask_ric(match: re.Match) -> str:
    number = match.group(0)
    return f"{number[:6]}********{number[-4:]}" if ric.is_valid(number) else number


def _mask_uscc(match: re.Match) -> str:
    code = match.group(0)
    return f"{code[:8]}********{code[-2:]}" if uscc.is_valid(code) else code


def mask_identity_numbers(text: str) -> str:
    """``text`` with every valid resident ID number and USCC masked."""
    if len(text) < 18:
        return text
    return _USCC_CANDIDATE.sub(_mask_uscc, _RIC_CANDIDATE.sub(_mask_ric, text))


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class IdentityMaskFilter(logging.Filter):
    """Rewrites the message (and a traceback) with identity numbers masked."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it
            return True
        masked = mask_identity_numbers(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_identity_numbers(record.exc_text)
        return True


class MaskingJsonFormatter(JsonFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_identity_numbers(super().format(record))


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_identity_numbers(super().format(record))
