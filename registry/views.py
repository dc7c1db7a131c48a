"""Pages of the register: scoped lists and details; out of scope answers 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from portal.errors import DomainError
from portal.forms import RevealForm

from .selectors import live_rooms_visible_to, marketers_visible_to
from .services import identity_reveal


@login_required
def live_room_list(request):
    page = Paginator(live_rooms_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "registry/live_room_list.html", {"page": page})


@login_required
def live_room_detail(request, pk: int):
    room = get_object_or_404(
        live_rooms_visible_to(request.user).prefetch_related("marketers"), pk=pk
    )
    return render(
        request,
        "registry/live_room_detail.html",
        {"room": room, "can_propose": may_propose_listing(request.user)},
    )


def may_propose_listing(user) -> bool:
    """Whether the page offers "Propose listing" (the blacklist's propose page, with the
    party chosen): a department's staff who may propose entries."""
    return bool(user.department_id) and user.has_perm("blacklist.propose_entry")


@login_required
@require_http_methods(["GET", "POST"])
def marketer_detail(request, pk: int):
    marketer = get_object_or_404(marketers_visible_to(request.user), pk=pk)
    can_reveal = request.user.has_perm("accounts.view_unmasked_identity")
    form = RevealForm(request.POST or None) if can_reveal else None
    revealed = None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            revealed = identity_reveal(
                actor=request.user, party=marketer, purpose=form.cleaned_data["purpose"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
    response = render(
        request,
        "registry/marketer_detail.html",
        {
            "marketer": marketer,
            "age": marketer.age_status(),
            "form": form,
            "revealed": revealed,
            "can_propose": may_propose_listing(request.user),
            "rooms": marketer.live_rooms.filter(
                pk__in=live_rooms_visible_to(request.user).values("pk")
            ).select_related("platform"),
        },
    )
    if revealed is not None:
        # The unmasked number is in this answer: no browser or proxy may keep it
        # (Cache-Control: no-store), so that it is not there for the next user.
        add_never_cache_headers(response)
    return response
