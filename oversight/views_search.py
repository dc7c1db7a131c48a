"""``/registry/search/``: the register searched by a name in any of its forms."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from portal.search import query_length_validator

from .register_search import RegisterHits, register_search


@login_required
def register_search_page(request):
    if not (request.user.department_id or request.user.platform_id or request.user.is_superuser):
        raise PermissionDenied
    text = request.GET.get("q", "").strip()
    error = None
    try:
        query_length_validator(text)
    except ValidationError as exc:
        error = exc.messages[0]
    hits = RegisterHits([], [], []) if error or not text else register_search(request.user, text)
    return render(
        request,
        "registry/search.html",
        {
            "q": text,
            "error": error,
            "hits": hits,
            "can_propose": bool(request.user.department_id)
            and request.user.has_perm("blacklist.propose_entry"),
        },
        status=400 if error else 200,
    )
