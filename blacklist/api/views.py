"""The blacklist API: thin views over the selectors and services."""

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.errors import Conflict, NotAllowed

from ..filters import EntryFilter
from ..models import FAILURE_REASONS, ScreeningJob, ScreeningJobError, ScreeningLog
from ..screening.jobs import screening_job_submit
from ..screening.log import screening_run
from ..screening.matching import (
    NAME_PAGE_SIZE,
    ScreeningQuery,
    first_name_only,
    name_only_page,
)
from ..screening.results import result_csv, result_json
from ..selectors import (
    entries_visible_to,
    entry_roles,
    screening_job_errors,
    screening_jobs_of,
    screening_logs_of,
)
from ..services import measures, platform_list
from .serializers import (
    AppealSerializer,
    EntryDetailSerializer,
    EntrySummarySerializer,
    MatchSerializer,
    MeasureImplementationSerializer,
    MeasureRecordSerializer,
    PlatformEntrySerializer,
    ScreeningAnswerSerializer,
    ScreeningBatchAnswerSerializer,
    ScreeningBatchSerializer,
    ScreeningJobErrorSerializer,
    ScreeningJobSerializer,
    ScreeningMatchPageSerializer,
    ScreeningQuerySerializer,
)

HIT_EXAMPLE = {
    "screening": 41,
    "hit": True,
    "matches": [
        {
            "entry": {
                "id": 7,
                "reference": "D20260000007",
                "list": "departments",
                "status": "listed",
                "party_kind": "person",
                "name": "张*",
                "id_number_masked": "330106********0018",
                "uscc": "",
                "grounds": {
                    "code": "false-information",
                    "name": "发布虚假或者引人误解的信息，欺骗、误导用户",
                    "articles": "《网络直播营销管理办法（试行）》第十八条第（二）项",
                },
                "legal_basis": "《网络直播营销管理办法（试行）》第二十九条；"
                "《直播电商监督管理办法》第五十一条",
                "listed_by": "杭州市市场监督管理局",
                "listed_on": "2026-03-02",
                "term_ends_on": "2029-03-02",
                "appeal_route": "",
            },
            "score": 0.95,
            "matched_fields": ["name"],
            "why": [
                "name: pinyin of the characters matches the Latin spelling (100%); characters "
                "cannot be compared, so homophones match too"
            ],
        }
    ],
}


def _match_data(answer, request):
    return MatchSerializer(answer.matches, many=True, context={"request": request}).data


class EntryListView(generics.ListAPIView):
    """Entries the caller may see (``blacklist.selectors.entries_visible_to``)."""

    serializer_class = EntrySummarySerializer
    filterset_class = EntryFilter

    def get_queryset(self):
        return entries_visible_to(self.request.user).order_by("-created_at", "-pk")


class EntryDetailView(generics.RetrieveAPIView):
    serializer_class = EntryDetailSerializer

    def get_queryset(self):
        return entries_visible_to(self.request.user).prefetch_related("states", "proposed_measures")


class MeasureRecordView(APIView):
    @extend_schema(
        summary="Record the joint-punishment measures your department applied (Trial Art. 29)",
        request=MeasureRecordSerializer,
        responses={201: MeasureImplementationSerializer(many=True), 409: None},
        examples=[
            OpenApiExample(
                "Measures applied",
                value={"measures": ["key-supervision"], "applied_on": "2026-04-01"},
                request_only=True,
            )
        ],
    )
    def post(self, request, pk: int):
        entry = get_object_or_404(entries_visible_to(request.user), pk=pk)
        if not entry_roles(request.user, entry)["measures"]:
            raise NotAllowed(_("Only departments' staff record measures."), code="not_allowed")
        serializer = MeasureRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = measures.measure_record(
            actor=request.user,
            entry=entry,
            measures=serializer.validated_data["measures"],
            applied_on=serializer.validated_data["applied_on"],
            note=serializer.validated_data.get("note", ""),
        )
        return Response(
            MeasureImplementationSerializer(rows, many=True).data, status=status.HTTP_201_CREATED
        )


class PlatformEntryCreateView(APIView):
    @extend_schema(
        summary="Put a party on the platforms' shared blacklist (Order 117 Art. 14)",
        request=PlatformEntrySerializer,
        responses={201: EntryDetailSerializer},
        examples=[
            OpenApiExample(
                "A marketer blacklisted for a year",
                value={
                    "name": "李四",
                    "party_kind": "person",
                    "id_number": "11010519491231002X",
                    "category": "fake-traffic",
                    "facts": "2026年3月组织刷单虚构销量。",
                    "term_ends_on": "2027-03-31",
                    "appeal_route": "平台申诉中心：appeal.example.cn，15日内提出",
                    "measures": ["account-closure", "platform-blacklist"],
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        platform = getattr(request.user, "platform", None)
        if platform is None:
            raise NotAllowed(_("Only a platform's officers or API keys add platform entries."))
        serializer = PlatformEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = platform_list.platform_entry_add(
            actor=request.user,
            platform=platform,
            name=data["name"],
            party_kind=data["party_kind"],
            id_number=data.get("id_number", ""),
            uscc=data.get("uscc", ""),
            category=data["category"],
            facts=data["facts"],
            legal_basis=data.get("legal_basis", ""),
            term_ends_on=data["term_ends_on"],
            appeal_route=data["appeal_route"],
            measures=data.get("measures", []),
            listed_on=data.get("listed_on"),
        )
        return Response(
            EntryDetailSerializer(entry, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class AppealDecideView(APIView):
    @extend_schema(
        summary="Record the platform's decision on an appeal; upheld removes the entry",
        request=AppealSerializer,
        responses={201: AppealSerializer},
    )
    def post(self, request, pk: int):
        entry = get_object_or_404(entries_visible_to(request.user), pk=pk)
        if not entry_roles(request.user, entry)["appeal"]:
            raise NotAllowed(
                _("Only the listing platform decides appeals on its entries."), code="not_allowed"
            )
        serializer = AppealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        appeal = platform_list.platform_appeal_decide(
            actor=request.user,
            entry=entry,
            received_on=data["received_on"],
            grounds=data["grounds"],
            upheld=data["upheld"],
            reason=data["reason"],
            decided_on=data.get("decided_on"),
        )
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class ScreeningView(APIView):
    @extend_schema(
        summary="Screen one party against the blacklists (Order 117 Art. 8, 14)",
        description=(
            "Give any of name, id_number (resident ID, matched by keyed hash), uscc. "
            "Answers every hit with the entry, which list, the matched fields, a score "
            "from 0 to 1 (1.0 for an identifier) and why. A name hit scores at least 0.85."
        ),
        request=ScreeningQuerySerializer,
        responses={200: ScreeningAnswerSerializer},
        examples=[
            OpenApiExample("By name in pinyin", value={"name": "Zhang Wei"}, request_only=True),
            OpenApiExample(
                "By ID number", value={"id_number": "330106199005170018"}, request_only=True
            ),
            OpenApiExample("A hit", value=HIT_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request):
        serializer = ScreeningQuerySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = screening_run(
            actor=request.user,
            queries=[ScreeningQuery(**serializer.validated_data)],
            channel=ScreeningLog.Channel.API,
        )
        return Response(
            {"screening": result.log.pk, **_paged_answer(result.answers[0], request, result.log)}
        )


def _page_link(request, log_pk: int, page: int, item: int | None = None) -> str:
    url = reverse("screening-api-matches", args=[log_pk])
    query = f"?page={page}" if item is None else f"?item={item}&page={page}"
    return request.build_absolute_uri(url + query)


def _paged_answer(answer, request, log, item: int | None = None) -> dict:
    """A party's answer as single screenings and batch items give it: every identifier
    hit and the first 50 name-only hits by score, the counts, and ``next`` (the
    following name-only hits) when there are more."""
    every = len(answer.matches)
    shown, name_only = first_name_only(answer.matches)
    answer.matches = shown
    following = None
    if name_only > NAME_PAGE_SIZE:
        following = _page_link(request, log.pk, 2, item)
    return {
        "hit": bool(every),
        "count": every,
        "name_only_count": name_only,
        "next": following,
        "matches": _match_data(answer, request),
    }


class ScreeningMatchesView(APIView):
    @extend_schema(
        summary="The next pages of a screening's name-only hits on one party, 50 a page",
        description=(
            "A single screening, and each item of a batch, answers every identifier hit "
            "and the first 50 name-only hits by score, with ``next`` when there are more; "
            "this is that ``next``. Only the caller's own screenings (their platform's, "
            "or their own)."
        ),
        parameters=[
            OpenApiParameter("page", int, description="1 (the hits the screening answered) and on"),
            OpenApiParameter(
                "item",
                int,
                description=(
                    "In a batch: the party's place among the items screened (the items "
                    "without errors), from 0, as the item's ``next`` gives it"
                ),
            ),
        ],
        responses={200: ScreeningMatchPageSerializer},
    )
    def get(self, request, pk: int):
        log = get_object_or_404(
            screening_logs_of(request.user).exclude(channel=ScreeningLog.Channel.JOB), pk=pk
        )
        try:
            page = int(request.query_params.get("page", "1"))
            item = int(request.query_params.get("item", "0"))
        except ValueError:
            page, item = 0, -1
        if not 0 <= item < log.queries:
            raise NotFound(_("No such party in this screening."))
        matches, count = name_only_page(log, page, item=item) if page >= 1 else ([], 0)
        if not matches and page != 1:
            raise NotFound(_("No such page."))
        pages = -(-count // NAME_PAGE_SIZE)
        link_item = item if log.queries > 1 else None
        return Response(
            {
                "screening": log.pk,
                "count": count,
                "next": _page_link(request, log.pk, page + 1, link_item) if page < pages else None,
                "previous": _page_link(request, log.pk, page - 1, link_item) if page > 1 else None,
                "results": MatchSerializer(matches, many=True, context={"request": request}).data,
            }
        )


class ScreeningBatchView(APIView):
    @extend_schema(
        summary="Screen up to 1,000 parties at once",
        description=(
            "Each item is answered by its index (and your ``ref``): its matches, or its "
            "field errors when the item is invalid. The batch is one screening log record."
        ),
        request=ScreeningBatchSerializer,
        responses={200: ScreeningBatchAnswerSerializer},
        examples=[
            OpenApiExample(
                "Two parties",
                value={
                    "queries": [
                        {"ref": "m-1", "name": "張偉"},
                        {"ref": "m-2", "uscc": "91330106MA27XU1230"},
                    ]
                },
                request_only=True,
            ),
            OpenApiExample(
                "Answer",
                value={
                    "screening": 42,
                    "count": 2,
                    "queries_with_hits": 1,
                    "results": [
                        {"index": 0, "ref": "m-1", "matches": HIT_EXAMPLE["matches"]},
                        {
                            "index": 1,
                            "ref": "m-2",
                            "errors": {
                                "uscc": [
                                    "The check character of this unified social credit code "
                                    "is wrong."
                                ]
                            },
                        },
                    ],
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request):
        batch = ScreeningBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        results: list[dict] = []
        queries, positions = [], []
        for index, item in enumerate(batch.validated_data["queries"]):
            serializer = ScreeningQuerySerializer(data=item)
            if serializer.is_valid():
                positions.append(index)
                queries.append(ScreeningQuery(**serializer.validated_data))
                results.append({"index": index, "ref": serializer.validated_data["ref"]})
            else:
                results.append(
                    {"index": index, "ref": str(item.get("ref", "")), "errors": serializer.errors}
                )
        log_pk, with_hits = None, 0
        if queries:
            result = screening_run(
                actor=request.user, queries=queries, channel=ScreeningLog.Channel.API
            )
            log_pk, with_hits = result.log.pk, result.log.queries_with_hits
            # ``next`` names the party by its place among those screened (the log's).
            several = result.log.queries > 1
            for place, (position, answer) in enumerate(zip(positions, result.answers, strict=True)):
                paged = _paged_answer(answer, request, result.log, place if several else None)
                del paged["hit"]
                results[position].update(paged)
        return Response(
            {
                "screening": log_pk,
                "count": len(results),
                "queries_with_hits": with_hits,
                "results": results,
            }
        )


JOB_EXAMPLE = {
    "id": 12,
    "status": "running",
    "rows_total": 250000,
    "rows_done": 100000,
    "queries": 99990,
    "queries_with_hits": 37,
    "hits": 52,
    "errors_count": 10,
    "errors": [
        {
            "row": 18,
            "reference": "m-00017",
            "field": "id_number",
            "message": "This resident ID number does not carry a valid birth date.",
        }
    ],
    "errors_url": "https://portal.example.cn/api/v1/screening/jobs/12/errors/",
    "failure": None,
    "failure_reason": None,
    "screening": None,
    "created_at": "2026-12-04T01:00:00+08:00",
    "started_at": "2026-12-04T01:00:01+08:00",
    "finished_at": None,
    "result_csv": None,
    "result_json": None,
}
MAX_JOB_ERRORS_SHOWN = 1000


def _job_data(job, request) -> dict:
    done = job.status == ScreeningJob.Status.DONE
    errors = screening_job_errors(job)[:MAX_JOB_ERRORS_SHOWN]

    def link(name, always=False):
        if not (done or always):
            return None
        return request.build_absolute_uri(reverse(name, args=[job.pk]))

    return ScreeningJobSerializer(
        {
            "id": job.pk,
            "status": job.status,
            "rows_total": job.rows_total,
            "rows_done": job.rows_done,
            "queries": job.queries,
            "queries_with_hits": job.queries_with_hits,
            "hits": job.hits,
            "error_count": job.error_count,
            "errors": errors,
            "errors_url": link("screening-api-job-errors", always=True),
            "failure": (job.failure if job.failure in FAILURE_REASONS else "error")
            if job.failure
            else None,
            "failure_reason": job.failure_reason or None,
            "log_id": job.log_id,
            "created_at": job.created_at,
            "started_at": job.started_at,
            "finished_at": job.finished_at,
            "result_csv": link("screening-api-job-result-csv"),
            "result_json": link("screening-api-job-result-json"),
        }
    ).data


def _request_body(request, size: int = 64 * 1024):
    """The request's body in pieces, as it arrives (never read whole). DRF's ``stream``
    is ``None`` for a body without ``Content-Length``; a chunked upload
    (``Transfer-Encoding: chunked``, which gunicorn decodes) is then read from the WSGI
    input to its end. The size limit is the service's, checked as the pieces come."""
    stream = request.stream
    if stream is None and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        stream = request.META.get("wsgi.input")
    while stream is not None and (chunk := stream.read(size)):
        yield chunk


class ScreeningJobCreateView(APIView):
    @extend_schema(
        summary="Screen a whole roster of parties, up to 1,000,000, as a job",
        description=(
            "The body is the roster: JSON lines (``application/x-ndjson``, one object a "
            "line) or CSV (``text/csv``, UTF-8 or GB18030, a header line first), with the "
            "fields of a single screening (``name``, ``id_number``, ``uscc``) and your own "
            "``reference`` for the row. Answers 202 at once with the job and its address "
            "(``Location``); the job runs in the background. A row in error is reported "
            "in the job's ``errors``, never fails it. A wrong content type, an empty body, "
            "more than 1,000,000 rows or more than 256 MB answer 400. The body may be sent "
            "chunked (``Transfer-Encoding: chunked``, no ``Content-Length``); the same "
            "limits apply as it is read. The roster's file is deleted once the job is done "
            "or failed."
        ),
        request={
            "application/x-ndjson": OpenApiTypes.BINARY,
            "text/csv": OpenApiTypes.BINARY,
        },
        responses={202: ScreeningJobSerializer},
        examples=[OpenApiExample("Queued", value=JOB_EXAMPLE, response_only=True)],
    )
    def post(self, request):
        job = screening_job_submit(
            actor=request.user,
            body=_request_body(request),
            content_type=request.content_type,
            channel=ScreeningLog.Channel.API,
        )
        return Response(
            _job_data(job, request),
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("screening-api-job", args=[job.pk])},
        )


class ScreeningJobDetailView(APIView):
    @extend_schema(
        summary="A roster screening job: its status, progress, counts and rows in error",
        responses={200: ScreeningJobSerializer},
        examples=[OpenApiExample("Running", value=JOB_EXAMPLE, response_only=True)],
    )
    def get(self, request, pk: int):
        job = get_object_or_404(screening_jobs_of(request.user), pk=pk)
        return Response(_job_data(job, request))


class ScreeningJobErrorPagination(PageNumberPagination):
    page_size = 1000


class ScreeningJobErrorsView(generics.ListAPIView):
    """Every row in error of a job, in roster order, 1,000 a page (``?page=2`` and on):
    the job's answer shows the first 1,000 only."""

    serializer_class = ScreeningJobErrorSerializer
    pagination_class = ScreeningJobErrorPagination

    @extend_schema(
        summary="A roster screening job's rows in error, all of them, 1,000 a page",
        description=(
            "The rows in error in roster order, each with its row number, your reference, "
            "the field and the message in your language (``Accept-Language``). A page "
            "past the last answers 404."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no job, no query
            return ScreeningJobError.objects.none()
        job = get_object_or_404(screening_jobs_of(self.request.user), pk=self.kwargs["pk"])
        return screening_job_errors(job)


class ScreeningJobResultView(APIView):
    """A done job's hits, one line per hit (409 until the job is done)."""

    @extend_schema(
        summary="A done roster job's hits, one line per hit (CSV or JSON)",
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/json"): OpenApiTypes.ANY,
            409: None,
        },
    )
    def get(self, request, pk: int, kind: str):
        job = get_object_or_404(screening_jobs_of(request.user), pk=pk)
        if job.status != ScreeningJob.Status.DONE:
            raise Conflict(_("The job is not done yet."), code="not_done")
        if kind == "csv":
            response = StreamingHttpResponse(
                result_csv(job), content_type="text/csv; charset=utf-8"
            )
        else:
            response = StreamingHttpResponse(
                result_json(job), content_type="application/json; charset=utf-8"
            )
        response["Content-Disposition"] = f'attachment; filename="screening-job-{job.pk}.{kind}"'
        return response
