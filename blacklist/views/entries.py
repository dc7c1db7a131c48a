"""The entry pages: the lists, an entry, and each step of listing, repair,
measures and appeals (thin views over the selectors and services; out of scope
answers 404)."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.confirm import Confirmation, confirm_page, confirmed
from portal.documents import documents_of_all
from portal.errors import DomainError
from portal.models import Deadline, RuleSet
from portal.rules import clock_label, clock_of, rule_set_for

from .. import pdf
from ..filters import EntryFilter
from ..forms import (
    AppealForm,
    DecideForm,
    MeasureForm,
    NotifyForm,
    PlatformEntryForm,
    ProposeForm,
    RepairAcceptForm,
    RepairApplyForm,
    RepairDecideForm,
    RevokeForm,
    StatementForm,
)
from ..models import ACTIVE_STATUSES, ListKind, RepairApplication, Status
from ..selectors import (
    entries_visible_to,
    entry_roles,
    implementations_for,
    may_see_full_name,
)
from ..services import common, listing, measures, platform_list, repair
from ..services.common import DEFAULT_TERM_MONTHS
from .common import entry_or_404, form_error


@login_required
def entry_list(request):
    queryset = entries_visible_to(request.user).order_by("-created_at", "-pk")
    filters = EntryFilter(request.GET or None, queryset=queryset)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "blacklist/entry_list.html",
        {
            "filters": filters,
            "page": page,
            "can_propose": request.user.has_perm("blacklist.propose_entry")
            and request.user.department_id,
            "can_add_platform": request.user.has_perm("blacklist.add_platform_entry")
            and getattr(request.user, "platform_id", None),
            "today": timezone.localdate(),
        },
    )


def _actions(request, entry) -> dict:
    """Which action forms this user sees on this entry (the services check again)."""
    roles, status = entry_roles(request.user, entry), entry.status
    active = status in ACTIVE_STATUSES
    return {
        "notify": roles["notify"] and status == Status.PROPOSED,
        "statement": roles["statement"] and status == Status.NOTIFIED,
        "decide": roles["decide"] and status in (Status.PROPOSED, Status.NOTIFIED, Status.HEARD),
        "repair_apply": roles["repair_apply"] and status == Status.LISTED,
        "repair_accept": roles["repair_accept"] and status == Status.REPAIR_PENDING,
        "repair_decide": roles["repair_decide"] and status == Status.REPAIR_ACCEPTED,
        "revoke": roles["revoke"] and active,
        "measures": roles["measures"] and active,
        "appeal": roles["appeal"] and active,
    }


def _clock_rows(deadlines) -> list:
    """Stored clocks with their name and whether the rules left their length to the
    department (shown so, never as a legal time limit)."""
    for deadline in deadlines:
        deadline.label = clock_label(deadline.clock, deadline.rule_set_id)
        deadline.is_local = False
        if deadline.rule_set_id:
            with contextlib.suppress(DomainError):
                deadline.is_local = clock_of(deadline.rule_set, deadline.clock).is_local
    return deadlines


def _clocks_in_force(matter: str, code: str, department) -> list:
    """Clock ``code`` of the ``matter`` rule set in force today (for an action form)."""
    try:
        return [clock_of(rule_set_for(matter, timezone.localdate()), code, department=department)]
    except DomainError:
        return []


@login_required
def entry_detail(request, pk: int):
    entry = entry_or_404(request, pk)
    deadlines = _clock_rows(list(Deadline.objects.for_object(entry).select_related("rule_set")))
    repairs = list(entry.repairs.select_related("rule_set"))
    for application in repairs:
        found = _clock_rows(
            list(Deadline.objects.for_object(application).select_related("rule_set")[:1])
        )
        application.deadline = found[0] if found else None
    return render(
        request,
        "blacklist/entry_detail.html",
        {
            "entry": entry,
            "show_name": may_see_full_name(request.user, entry),
            "states": entry.states.select_related("actor"),
            "statements": entry.statements.all(),
            "repairs": repairs,
            "appeals": entry.appeals.all(),
            "deadlines": deadlines,
            "measures": entry.proposed_measures.all(),
            "implementations": implementations_for(entry, request.user),
            "actions": _actions(request, entry),
            "issued_documents": documents_of_all([entry, *repairs]),
            "has_notice": entry.states.filter(status=Status.NOTIFIED).exists(),
            "has_decision": entry.list == ListKind.DEPARTMENTS and entry.listed_on is not None,
            "listing_basis": pdf.listing_basis(entry.rule_set),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_propose(request):
    if not (request.user.has_perm("blacklist.propose_entry") and request.user.department_id):
        raise PermissionDenied
    # ``?party=marketer:12`` (the register's "Propose listing") comes chosen;
    # ``?party_q=…`` is the picker's search without JavaScript.
    form = ProposeForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"party": request.GET.get("party", "")},
        party_query=request.GET.get("party_q", ""),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = listing.entry_propose(
                actor=request.user,
                party=data["party"],
                category=data["category"],
                facts=data["facts"],
                legal_basis=data["legal_basis"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                decision_document=data["decision_document"],
                term_months=data["term_months"],
                measures=data["measures"],
                share_scope=data["share_scope"],
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Entry %(ref)s proposed.") % {"ref": entry.reference})
            return redirect(entry)
    return render(request, "blacklist/propose.html", {"form": form})


def _action_view(
    request,
    pk,
    action,
    form_class,
    act,
    *,
    title,
    clocks=(),
    template="blacklist/action.html",
    confirm=None,
):
    """GET shows the form; POST calls ``act(entry, cleaned_data)`` (one service). An
    entry out of scope is 404; an action the user's role may not take on it, 403.
    ``clocks`` (matter, code): the clocks in force today that the action starts.
    ``confirm(entry, cleaned_data)``: for a decision that cannot be undone, the
    (title, consequences, button) of the confirm page a valid form is shown first."""
    entry = entry_or_404(request, pk)
    if not entry_roles(request.user, entry)[action]:
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if confirm is not None and not confirmed(request):
            heading, consequences, button = confirm(entry, form.cleaned_data)
            return confirm_page(
                request,
                Confirmation(
                    title=heading,
                    consequences=consequences,
                    button=button,
                    form=form,
                    cancel_url=entry.get_absolute_url(),
                    about=f"{entry.reference} · {entry.name}",
                    about_url=entry.get_absolute_url(),
                ),
            )
        try:
            act(entry, form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect(entry)
    shown = [
        clock
        for matter, code in clocks
        for clock in _clocks_in_force(matter, code, entry.department)
    ]
    return render(
        request, template, {"entry": entry, "form": form, "title": title, "clocks": shown}
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_notify(request, pk: int):
    return _action_view(
        request,
        pk,
        "notify",
        NotifyForm,
        lambda entry, data: listing.entry_notify(
            actor=request.user,
            entry=entry,
            notified_on=data["notified_on"],
            working_days=data["working_days"],
        ),
        title=_("Serve the notice"),
        clocks=[(RuleSet.Matter.LISTING, common.STATEMENT_CLOCK)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_statement(request, pk: int):
    return _action_view(
        request,
        pk,
        "statement",
        StatementForm,
        lambda entry, data: listing.entry_record_statement(
            actor=request.user,
            entry=entry,
            received_on=data["received_on"],
            text=data["text"],
            hearing_requested=data["hearing_requested"],
        ),
        title=_("Record the party's statement"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_decide(request, pk: int):
    return _action_view(
        request,
        pk,
        "decide",
        DecideForm,
        lambda entry, data: listing.entry_decide(
            actor=request.user,
            entry=entry,
            list_entry=data["decision"] == "list",
            reason=data["reason"],
        ),
        title=_("Decide: list or drop"),
        confirm=_confirm_decide,
    )


def _listing_basis(entry) -> list[str]:
    basis = pdf.listing_basis(entry.rule_set)
    return [_("Basis: %(basis)s.") % {"basis": basis}] if basis else []


def _confirm_decide(entry, data):
    if data["decision"] == "list":
        return (
            _("List %(name)s?") % {"name": entry.name},
            [
                _(
                    "The party is put on the list from today for %(months)s months and the "
                    "entry is shared with %(scope)s, who may apply the joint-punishment "
                    "measures. Platforms screening the party find it at once."
                )
                % {
                    "months": entry.term_months or DEFAULT_TERM_MONTHS,
                    "scope": entry.get_share_scope_display(),
                },
                _(
                    "A listing cannot be withdrawn here: it ends with its term, by credit "
                    "repair, or by revocation when its basis falls."
                ),
                *_listing_basis(entry),
            ],
            _("List the party"),
        )
    return (
        _("Drop the proposal to list %(name)s?") % {"name": entry.name},
        [
            _(
                "The party is not listed and the proposal is closed for good: listing the "
                "party later needs a new proposal."
            )
        ],
        _("Drop the proposal"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_repair_apply(request, pk: int):
    return _action_view(
        request,
        pk,
        "repair_apply",
        RepairApplyForm,
        lambda entry, data: repair.entry_repair_apply(
            actor=request.user,
            entry=entry,
            applied_on=data["applied_on"],
            grounds=data["grounds"],
        ),
        title=_("Record a credit repair application"),
        clocks=[(RuleSet.Matter.REPAIR, common.REPAIR_CLOCK)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_repair_accept(request, pk: int):
    def act(entry, data):
        application = entry.repairs.filter(outcome=RepairApplication.Outcome.PENDING).first()
        if application is None:
            raise DomainError(_("There is no pending application."))
        repair.entry_repair_accept(
            actor=request.user, application=application, accepted_on=data["accepted_on"]
        )

    return _action_view(
        request,
        pk,
        "repair_accept",
        RepairAcceptForm,
        act,
        title=_("Accept the credit repair application"),
        clocks=[(RuleSet.Matter.REPAIR, common.REPAIR_CLOCK)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_repair_decide(request, pk: int):
    def act(entry, data):
        application = entry.repairs.filter(outcome=RepairApplication.Outcome.PENDING).first()
        if application is None:
            raise DomainError(_("There is no pending application."))
        repair.entry_repair_decide(
            actor=request.user,
            application=application,
            granted=data["granted"],
            reason=data["reason"],
        )

    return _action_view(
        request,
        pk,
        "repair_decide",
        RepairDecideForm,
        act,
        title=_("Decide the credit repair application"),
        confirm=_confirm_repair,
    )


def _confirm_repair(entry, data):
    if data["granted"]:
        return (
            _("Grant the credit repair of %(name)s?") % {"name": entry.name},
            [
                _(
                    "The party leaves the list today, before the end of its term: screening "
                    "no longer finds it and departments stop applying its measures. The "
                    "decision cannot be undone."
                )
            ],
            _("Grant: remove from the list"),
        )
    return (
        _("Refuse the credit repair of %(name)s?") % {"name": entry.name},
        [
            _(
                "The party stays listed until %(day)s. The decision on this application "
                "cannot be changed afterwards."
            )
            % {"day": entry.term_ends_on.isoformat() if entry.term_ends_on else "—"}
        ],
        _("Refuse the application"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_revoke(request, pk: int):
    return _action_view(
        request,
        pk,
        "revoke",
        RevokeForm,
        lambda entry, data: listing.entry_revoke(
            actor=request.user, entry=entry, reason=data["reason"]
        ),
        title=_("Revoke the listing"),
        confirm=lambda entry, data: (
            _("Revoke the listing of %(name)s?") % {"name": entry.name},
            [
                _(
                    "The entry leaves the list at once and screening no longer finds it; "
                    "a pending credit repair application is closed. A revoked listing "
                    "cannot be restored."
                )
            ],
            _("Revoke the listing"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_measures(request, pk: int):
    return _action_view(
        request,
        pk,
        "measures",
        MeasureForm,
        lambda entry, data: measures.measure_record(
            actor=request.user,
            entry=entry,
            measures=list(data["measures"]),
            applied_on=data["applied_on"],
            note=data["note"],
        ),
        title=_("Record the measures your department applied"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_appeal(request, pk: int):
    return _action_view(
        request,
        pk,
        "appeal",
        AppealForm,
        lambda entry, data: platform_list.platform_appeal_decide(
            actor=request.user,
            entry=entry,
            received_on=data["received_on"],
            grounds=data["grounds"],
            upheld=data["upheld"],
            reason=data["reason"],
        ),
        title=_("Record the decision on an appeal"),
        confirm=_confirm_appeal,
    )


def _confirm_appeal(entry, data):
    if data["upheld"]:
        return (
            _("Uphold the appeal of %(name)s?") % {"name": entry.name},
            [
                _(
                    "The entry leaves your platform's list at once and screening no longer "
                    "finds it. The decision cannot be undone."
                )
            ],
            _("Upheld: remove the entry"),
        )
    return (
        _("Reject the appeal of %(name)s?") % {"name": entry.name},
        [
            _(
                "The entry stays on your platform's list. The decision on this appeal is "
                "recorded and cannot be changed afterwards."
            )
        ],
        _("Rejected: the entry stays"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_entry_add(request):
    platform = getattr(request.user, "platform", None)
    if platform is None or not request.user.has_perm("blacklist.add_platform_entry"):
        raise PermissionDenied
    form = PlatformEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = platform_list.platform_entry_add(
                actor=request.user,
                platform=platform,
                name=data["name"],
                party_kind=data["party_kind"],
                id_number=data["id_number"],
                uscc=data["uscc"],
                category=data["category"],
                facts=data["facts"],
                legal_basis=data["legal_basis"],
                term_ends_on=data["term_ends_on"],
                appeal_route=data["appeal_route"],
                measures=list(data["measures"]),
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Entry %(ref)s listed.") % {"ref": entry.reference})
            return redirect(entry)
    return render(request, "blacklist/platform_add.html", {"form": form, "platform": platform})
