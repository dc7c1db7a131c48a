"""The risk view: platforms and live rooms of the jurisdiction with their score and
its parts, sortable, exportable as CSV; "start an inspection" opens the campaign
form with the platform chosen."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import csv as portal_csv

from .. import risk
from ..permissions import RUN
from ._common import require_staff

VIEWS = {
    "platforms": (risk.platform_risk, risk.PLATFORM_PARTS),
    "rooms": (risk.live_room_risk, risk.LIVE_ROOM_PARTS),
}


def _rows(request, view: str):
    build, parts = VIEWS[view]
    today = timezone.localdate()
    queryset, sort = risk.ordered(
        build(request.user, today=today), request.GET.get("sort", "-score"), parts
    )
    return queryset, sort, parts, today


@login_required
def risk_view(request):
    require_staff(request.user)
    view = request.GET.get("view", "platforms")
    if view not in VIEWS:
        view = "platforms"
    queryset, sort, parts, today = _rows(request, view)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    field = "platform_id" if view == "platforms" else "live_room_id"
    by_category = risk.categories_by(field, [r.pk for r in rows], today=today)
    for row in rows:
        row.parts = risk.parts_of(row, parts)
        row.categories = by_category.get(row.pk, [])
    return render(
        request,
        "inspections/risk.html",
        {
            "view": view,
            "page": page,
            "rows": rows,
            "parts": parts,
            "sort": sort,
            "window": risk.WINDOW_DAYS,
            "periods": risk.due_periods(today),
            "can_inspect": request.user.has_perm(RUN) and bool(request.user.department_id),
        },
    )


@login_required
def risk_export(request):
    """CSV of the whole view, in the order shown, each part and its weight."""
    require_staff(request.user)
    view = request.GET.get("view", "platforms")
    if view not in VIEWS:
        view = "platforms"
    queryset, _sort, parts, _today = _rows(request, view)
    writer = portal_csv.Writer()
    if view == "platforms":
        head = [_("Platform"), _("Unified social credit code"), _("Domicile")]
    else:
        head = [_("Live room"), _("Account id"), _("Platform"), _("Operator")]
    header = [
        *head,
        *(f"{p.label} (×{p.weight})" for p in parts),
        _("Risk score"),
    ]

    def lines():
        yield portal_csv.BOM + writer.writerow(header)
        for row in queryset.iterator(chunk_size=2000):
            if view == "platforms":
                first = [row.name, row.uscc, row.domicile.label]
            else:
                first = [
                    row.name,
                    row.account_id,
                    row.platform.name,
                    row.operator.name if row.operator else "",
                ]
            yield writer.writerow([*first, *(getattr(row, p.key) for p in parts), row.score])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="risk-{view}.csv"'
    return response
