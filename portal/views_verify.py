"""The public verification page of issued documents: ``/verify/<code>/``.

It shows what was issued under the code (number, issuer, date, type, the party
masked, the file's SHA-256, whether it was revoked and whether its signature is
valid) and, for a file posted as ``file``, whether it is byte for byte that one.
Counted per address as tracking is; an unknown code and a refused count answer
alike, so codes cannot be told apart by trying them.
"""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit import core as ratelimit

from .documents import document_content, document_matches, signature_status
from .models import IssuedDocument
from .uploads import MB

MAX_VERIFY_BYTES = 20 * MB


# Checking a file changes nothing, and anyone may post one from a script.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify(request, code: str):
    limited = ratelimit.is_ratelimited(
        request,
        group="document-verify",
        key="ip",
        rate=settings.DOCUMENT_VERIFY_RATE,
        method=ratelimit.ALL,
        increment=True,
    )
    document = (
        None
        if limited
        else IssuedDocument.objects.select_related("kind").filter(code=code.upper()).first()
    )
    if document is None:
        return render(request, "portal/verify.html", {"document": None}, status=404)
    checked = None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if request.method == "POST":
        if upload is None or upload.size > MAX_VERIFY_BYTES:
            checked = {"matches": False, "missing": upload is None}
        else:
            data = upload.read()
            checked = {"matches": document_matches(document, data), "missing": False}
    return render(
        request,
        "portal/verify.html",
        {
            "document": document,
            "signature": signature_status(document_content(document)),
            "checked": checked,
        },
    )
