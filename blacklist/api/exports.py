"""Exports of the blacklist for other systems: the list as JSON or CSV, a
changes feed, and FollowTheMoney entities.

Everything goes through ``blacklist.selectors`` and is masked as the pages mask
it for the caller: names in full for staff and the listing platform, masked
for other platforms; resident ID numbers only ever masked (the entry never
holds the number).
"""

import io
import json
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import csv as portal_csv
from portal import dates
from registry.models import PartyKind

from ..models import ACTIVE_STATUSES, Entry, EntryState
from ..selectors import entries_in_feed_of, entries_visible_to, may_see_full_name
from .serializers import EntrySummarySerializer

CSV_COLUMNS = [
    "id",
    "reference",
    "list",
    "status",
    "party_kind",
    "name",
    "id_number_masked",
    "uscc",
    "grounds",
    "grounds_name",
    "legal_basis",
    "listed_by",
    "listed_on",
    "term_ends_on",
    "appeal_route",
]

FTM_PREFIX = "lmp"


class CSVRenderer(BaseRenderer):
    """A list of export rows as CSV (UTF-8 with a byte order mark for spreadsheets)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        out.write(portal_csv.BOM)
        writer = portal_csv.Writer(out)
        if isinstance(data, list):
            writer.writerow(CSV_COLUMNS)
            for row in data:
                grounds = row.get("grounds") or {}
                flat = {
                    **row,
                    "grounds": grounds.get("code", ""),
                    "grounds_name": grounds.get("name", ""),
                }
                writer.writerow(["" if flat.get(c) is None else flat.get(c) for c in CSV_COLUMNS])
        else:  # an error answer
            for key, value in (data or {}).items():
                writer.writerow([key, value])
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code == 200:
            response["Content-Disposition"] = (
                f'attachment; filename="blacklist-{timezone.localdate():%Y%m%d}.csv"'
            )
        return out.getvalue().encode(self.charset)


class FtMRenderer(BaseRenderer):
    """FollowTheMoney entities as JSON lines: one entity object a line."""

    media_type = "application/x-ndjson"
    format = "ftm"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        items = data if isinstance(data, list) else [data]
        return "".join(
            json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n" for item in items
        ).encode(self.charset)


def _entry_rows(entries, request) -> list[dict]:
    return EntrySummarySerializer(entries, many=True, context={"request": request}).data


EXPORT_EXAMPLE = [
    {
        "id": 7,
        "reference": "D20260000007",
        "list": "departments",
        "status": "listed",
        "party_kind": "person",
        "name": "张*",
        "id_number_masked": "330106********0018",
        "uscc": "",
        "grounds": {"code": "false-information", "name": "…", "articles": "…"},
        "legal_basis": "《网络直播营销管理办法（试行）》第二十九条；"
        "《直播电商监督管理办法》第五十一条",
        "listed_by": "杭州市市场监督管理局",
        "listed_on": "2026-03-02",
        "term_ends_on": "2029-03-02",
        "appeal_route": "",
    }
]


class ExportView(APIView):
    """The entries the caller may see, as JSON or CSV."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = None

    @extend_schema(
        summary="Export the blacklist entries you may see (JSON or CSV)",
        description=(
            "Every entry the caller may open (staff session or token, or a platform's "
            "``Authorization: Api-Key …``), listed or not, with its status; names are masked "
            "as the pages mask them for the caller, resident ID numbers are always masked. "
            "``/export.json``, ``/export.csv``, or ``/export/?format=json|csv``."
        ),
        responses={
            (200, "application/json"): EntrySummarySerializer(many=True),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="CSV, one row an entry"
            ),
        },
        examples=[OpenApiExample("One entry", value=EXPORT_EXAMPLE, response_only=True)],
    )
    def get(self, request, format=None):
        entries = entries_visible_to(request.user).order_by("created_at", "pk")
        return Response(_entry_rows(entries, request))


# --- changes ------------------------------------------------------------------------


class ChangeSerializer(EntrySummarySerializer):
    change = serializers.ChoiceField(choices=["added", "changed", "removed"])
    changed_at = serializers.DateTimeField()

    class Meta(EntrySummarySerializer.Meta):
        fields = ["change", "changed_at", *EntrySummarySerializer.Meta.fields]


class ChangesAnswerSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    next_since = serializers.DateTimeField(help_text="Pass as ``since`` to get what follows.")
    count = serializers.IntegerField()
    changes = ChangeSerializer(many=True)


def parse_since(raw: str | None) -> datetime:
    if not raw:
        raise ValidationError({"since": [_("Give the time to report changes after.")]})
    value = None
    for candidate in (raw, raw.replace(" ", "+")):  # a "+" not URL-encoded arrives as " "
        try:
            value = parse_datetime(candidate)
        except ValueError:
            value = None
        if value is not None:
            break
    if value is None:
        raise ValidationError(
            {"since": [_("Give an ISO 8601 timestamp, e.g. 2026-03-01T00:00:00+08:00.")]}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    message = dates.moment_error(value)
    if message:
        raise ValidationError({"since": [str(message)]})
    return value


def classify(before: str | None, after_states: list[str]) -> str:
    """``added``: on the list now, not at ``since``; ``removed``: off the list now but
    on it at ``since`` or at some time after it; ``changed``: anything else (a
    listed entry's repair application, a proposal moving on)."""
    listed_now = after_states[-1] in ACTIVE_STATUSES
    listed_before = before in ACTIVE_STATUSES
    if listed_now:
        return "changed" if listed_before else "added"
    if listed_before or any(status in ACTIVE_STATUSES for status in after_states):
        return "removed"
    return "changed"


def entry_changes(user, since: datetime) -> list[Entry]:
    """The entries in ``user``'s feed whose state changed after ``since``, oldest change
    first, each with ``change`` and ``changed_at`` set."""
    scope = entries_in_feed_of(user)
    rows = list(
        EntryState.objects.filter(at__gt=since, entry__in=scope.values("pk"))
        .order_by("at", "id")
        .values_list("entry_id", "status", "at")
    )
    after: dict[int, list[str]] = {}
    last_at: dict[int, datetime] = {}
    for entry_id, status, at in rows:
        after.setdefault(entry_id, []).append(status)
        last_at[entry_id] = at
    before: dict[int, str] = {}
    for entry_id, status in (
        EntryState.objects.filter(entry_id__in=list(after), at__lte=since)
        .order_by("at", "id")
        .values_list("entry_id", "status")
    ):
        before[entry_id] = status  # the last one wins
    entries = scope.in_bulk(list(after))
    changed = []
    for entry_id in sorted(after, key=lambda pk: (last_at[pk], pk)):
        entry = entries[entry_id]
        entry.change = classify(before.get(entry_id), after[entry_id])
        entry.changed_at = last_at[entry_id]
        changed.append(entry)
    return changed


class ChangesView(APIView):
    @extend_schema(
        summary="What changed on the blacklist after a time",
        description=(
            "Entries (in the caller's scope) whose state changed after ``since``, oldest "
            "change first: ``added`` (on the list now, not at ``since``), ``removed`` (left "
            "the list after ``since``), ``changed`` (anything else). Pass ``next_since`` "
            "as ``since`` next time. An entry whose term ended shows as removed once the "
            "hourly sweep has written its ``expired`` state."
        ),
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                required=True,
                description="ISO 8601 timestamp, e.g. 2026-03-01T00:00:00+08:00 (URL-encode +).",
            )
        ],
        responses={200: ChangesAnswerSerializer},
    )
    def get(self, request):
        since = parse_since(request.query_params.get("since"))
        changes = entry_changes(request.user, since)
        next_since = changes[-1].changed_at if changes else since
        return Response(
            {
                "since": since.isoformat(),
                "next_since": next_since.isoformat(),
                "count": len(changes),
                "changes": ChangeSerializer(changes, many=True, context={"request": request}).data,
            }
        )


# --- FollowTheMoney ----------------------------------------------------------------


def ftm_schema(entry: Entry) -> str:
    if entry.party_kind == PartyKind.PERSON:
        return "Person"
    if entry.party_kind == PartyKind.SOLE_TRADER or entry.uscc[:1] == "9":
        return "Company"  # registered as a business (USCC register office 9)
    return "Organization"


def ftm_entities(entry: Entry, user) -> list[dict]:
    """A party entity and its Sanction, FollowTheMoney style (plain dicts)."""
    party_id = f"{FTM_PREFIX}-entry-{entry.pk}"
    name = entry.name if may_see_full_name(user, entry) else entry.name_masked
    properties = {"name": [name], "country": ["cn"]}
    schema = ftm_schema(entry)
    if schema != "Person" and entry.uscc:
        properties["registrationNumber"] = [entry.uscc]
    sanction = {
        "entity": [party_id],
        "authority": [str(entry.lister)],
        "reason": [entry.category.label],
        "program": [str(entry.get_list_display())],
    }
    if entry.listed_on:
        sanction["startDate"] = [entry.listed_on.isoformat()]
    if entry.term_ends_on:
        sanction["endDate"] = [entry.term_ends_on.isoformat()]
    return [
        {"id": party_id, "schema": schema, "properties": properties},
        {"id": f"{FTM_PREFIX}-sanction-{entry.pk}", "schema": "Sanction", "properties": sanction},
    ]


class FtMExportView(APIView):
    renderer_classes = [FtMRenderer]

    @extend_schema(
        summary="The listed entries you may see as FollowTheMoney entities (JSON lines)",
        description=(
            "One JSON object a line: for every entry on the list today, a ``Person``, "
            "``Company`` or ``Organization`` (id ``lmp-entry-<id>``; name masked as for "
            "the caller; ``registrationNumber`` the USCC) and a ``Sanction`` (id "
            "``lmp-sanction-<id>``) whose ``entity`` is the party's id, ``authority`` the "
            "listing department or platform, ``reason`` the grounds, ``program`` the list, "
            "``startDate``/``endDate`` the term."
        ),
        responses={(200, "application/x-ndjson"): OpenApiTypes.STR},
        examples=[
            OpenApiExample(
                "Two lines",
                value=(
                    '{"id": "lmp-entry-7", "properties": {"country": ["cn"], "name": ["张*"]}, '
                    '"schema": "Person"}\n'
                    '{"id": "lmp-sanction-7", "properties": {"authority": '
                    '["杭州市市场监督管理局"], '
                    '"endDate": ["2029-03-02"], "entity": ["lmp-entry-7"], "program": '
                    '["departments\' joint-punishment list"], "reason": ["…"], "startDate": '
                    '["2026-03-02"]}, "schema": "Sanction"}\n'
                ),
                response_only=True,
            )
        ],
    )
    def get(self, request):
        entries = (
            entries_visible_to(request.user)
            .active(timezone.localdate())
            .order_by("created_at", "pk")
        )
        lines: list[dict] = []
        for entry in entries:
            lines.extend(ftm_entities(entry, request.user))
        if not lines:
            # An empty file is still JSON lines (DRF drops the type of an empty body).
            return HttpResponse(b"", content_type=f"{FtMRenderer.media_type}; charset=utf-8")
        return Response(lines)
