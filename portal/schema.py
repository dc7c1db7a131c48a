"""The OpenAPI schema's shared error answers, added to every operation by a
drf-spectacular postprocessing hook so that new endpoints document them without
a line of their own.

Each operation documents 400 (field messages, or ``{"detail", "code"}`` from a
domain rule), 401, 403 and 429; 404 where its path names an object or it lists
(a page out of range); 415 where it takes a body. A status an
operation declares itself (409 for a conflict, 202 for queued work) keeps its
description and gets the error body when it declared none."""

ERROR = {
    "type": "object",
    "description": "What went wrong, in the caller's language, and a stable code.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
    "required": ["detail"],
}

# 400: either {"detail", "code"} or one list of messages per field (nested for
# nested fields), with ``non_field_errors`` for the request as a whole.
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Field messages: each invalid field maps to its list of messages "
        "(``non_field_errors`` for the request as a whole), or ``detail`` and ``code`` "
        "when a rule refused the request."
    ),
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {},
}

DESCRIPTIONS = {
    "400": "The request is invalid: field messages.",
    "401": "No credentials, or credentials that are invalid or expired.",
    "403": "The caller may not do this.",
    "404": "No such object in the caller's scope.",
    "409": "The object's state does not allow this now.",
    "415": "The body is in a media type this operation does not read.",
    "429": "Too many requests: wait and retry.",
}

METHODS = {"get", "put", "patch", "post", "delete", "head", "options", "trace"}


def _content(name):
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: the error answers on every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            wanted = ["400", "401", "403", "429"]
            # 404: the path names an object, or a list's ``page``/``format`` names
            # none; 415: a body in a media type the operation does not parse.
            if "{" in path or method == "get" or "404" in responses:
                wanted.append("404")
            if "requestBody" in operation:
                wanted.append("415")
            wanted += [code for code in ("409",) if code in responses]
            for code in wanted:
                name = "ValidationError" if code == "400" else "Error"
                answer = responses.setdefault(code, {"description": DESCRIPTIONS[code]})
                if not answer.get("description"):
                    answer["description"] = DESCRIPTIONS[code]
                if not answer.get("content"):
                    answer["content"] = _content(name)
    return result
