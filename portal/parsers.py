"""The API's JSON parser: orjson, whose nesting limit answers a hostile body with 400.

Python's ``json`` recurses once per level, so ``[[[[…]]]]`` 100,000 deep raised
``RecursionError`` and answered 500. orjson refuses anything nested deeper than
:data:`MAX_DEPTH` levels (its own fixed limit) before it builds a thing; the
portal's own bodies nest three or four levels at most. Any other malformed body
is DRF's ``ParseError`` as before: 400 with ``{"detail": …}``.
"""

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 1024  # orjson's limit; not configurable there


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, reading with orjson (strict: no NaN or Infinity, no lone
    surrogates, integers within 64 bits)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read()
        try:
            if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
                body = body.decode(encoding)
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            if "depth" in str(exc) or "recursion" in str(exc):
                raise ParseError(
                    _("The JSON is nested more than %(n)s levels deep.") % {"n": MAX_DEPTH},
                    code="too_deep",
                ) from None
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
