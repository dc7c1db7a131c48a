"""Every list page costs the same number of queries with 2 rows as with 20.

The list pages are found in the URL conf: every page without a parameter is
either measured here (``STAFF_PAGES`` / ``PLATFORM_PAGES``) or named in
``NOT_LISTS`` with what it is instead, so that a new list page fails
``test_every_page_of_the_url_conf_is_measured_or_named`` until it is measured.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.services import api_key_issue
from blacklist.screening.jobs import screening_job_submit
from blacklist.screening.log import screening_run
from blacklist.screening.matching import ScreeningQuery
from complaints.services.forwards import complaint_forward
from complaints.services.intake import Intake, complaint_submit
from complaints.services.workflow import complaint_accept, complaint_assign
from filings.models import NoticeKind
from filings.services.filings import filing_submit
from filings.services.notices import notice_send
from inspections.models import InterviewGround
from inspections.services.clues import clue_transfer
from inspections.services.inspections import campaign_open, document_request_send
from inspections.services.meetings import consultation_convene, interview_schedule
from oversight.models import StatisticalReport
from registry.models import ViolationCategory
from registry.rosters.services import roster_file
from tests.blacklist.factories import ListedEntryFactory, PlatformEntryFactory
from tests.factories import LiveRoomFactory, PlatformFactory, UserFactory
from tests.filings.conftest import item, platforms  # noqa: F401
from tests.rosters.conftest import operator_row

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Staff list pages (signed in as a Xihu market supervision handler).
STAFF_PAGES = [
    ("home", "/"),
    ("staff-list", "/accounts/staff/"),
    ("complaints:list", "/complaints/cases/?queue=mine"),
    ("complaints:list", "/complaints/cases/?queue=unassigned"),
    ("complaints:list", "/complaints/cases/?queue=due_soon&within=30"),
    ("complaints:list", "/complaints/cases/?queue=overdue"),
    ("complaints:list", "/complaints/cases/?queue=open&order=due"),
    ("complaints:list", "/complaints/cases/?queue=all&status=forwarded"),
    ("complaints:list", "/complaints/cases/?queue=all&q=七天无理由"),
    ("complaints:list", "/complaints/cases/?queue=open&q=陈女士"),
    ("filings:list", "/filings/"),
    ("filings:list", "/filings/?q=李佳怡"),
    ("filings:notices", "/notices/"),
    ("rosters:list", "/rosters/?as=provincial"),
    ("rosters:cross-province", "/rosters/cross-province/?as=provincial"),
    ("blacklist:entries", "/blacklist/"),
    ("blacklist:public", "/blacklist/public/"),
    ("blacklist:screenings", "/blacklist/screenings/"),
    ("inspections:campaigns", "/inspections/"),
    ("inspections:clues", "/inspections/clues/?box=outbox"),
    ("inspections:consultations", "/inspections/consultations/"),
    ("inspections:interviews", "/inspections/interviews/"),
    ("inspections:risk", "/inspections/risk/"),
    ("registry:live-rooms", "/registry/live-rooms/"),
    ("register-search", "/registry/search/?q=直播间"),
    ("statistics-staff", "/statistics/staff/"),
    ("statistics-reports", "/statistics/reports/"),
    ("statistics", "/statistics/"),
    ("notifications", "/notifications/"),
]
#: Platform pages (signed in as platform A's compliance officer).
PLATFORM_PAGES = [
    ("home", "/"),
    ("complaints:forwards", "/complaints/forwarded/"),
    ("filings:list", "/filings/"),
    ("filings:notices", "/notices/"),
    ("rosters:list", "/rosters/"),
    ("inspections:platform", "/inspections/platform/"),
    ("api-keys", "/platform/api-keys/"),
    ("blacklist:entries", "/blacklist/"),
    ("blacklist:screening-jobs", "/blacklist/screening/jobs/"),
    ("notifications", "/notifications/"),
]
#: Pages that show figures rather than rows: they need not grow with the rows.
FIXED_SIZE = {"/statistics/"}
#: Pages without a parameter that are not lists, and what they are.
NOT_LISTS = {
    "login": "sign-in form",
    "logout": "sign-out",
    "set_language": "language switch",
    "healthz": "health check",
    "help": "help text, no rows",
    "approvals": "inbox of decisions, at most 200 a section (tests/complaints/test_approvals.py)",
    "api-schema": "API schema",
    "api-docs": "API documentation",
    "complaints:new": "public form",
    "complaints:track": "public form",
    "complaints:export": "CSV export, streamed",
    "complaints:bulk": "action on ticked cases (POST), at most 100",
    "staff-invite": "a form",
    "notifications-read": "marks one's notifications read (POST)",
    "complaints:filter-save": "saves the filters (POST)",
    "filings:export": "CSV export, streamed",
    "filings:new": "form",
    "filings:upload": "form",
    "filings:upload-report": "CSV of the last upload",
    "filings:template": "CSV template",
    "filings:notice-new": "form",
    "rosters:template": "CSV template",
    "blacklist:propose": "form",
    "blacklist:platform-add": "form",
    "blacklist:screening": "form and its results (bounded by the query)",
    "inspections:campaign-new": "form",
    "inspections:clue-new": "form",
    "inspections:consultation-new": "form",
    "inspections:interview-new": "form",
    "inspections:risk-export": "CSV export, streamed",
    "two-factor-verify": "sign-in step",
    "two-factor-enrol": "sign-in step",
}


def _page_names(resolver=None, namespace="") -> set[str]:
    """Names of the URL patterns that take no parameter (outside /admin/ and /api/)."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = str(pattern.pattern)
        if route.startswith(("admin/", "api/")):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _page_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and "<" not in route:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_page_of_the_url_conf_is_measured_or_named():
    measured = {name for name, _url in STAFF_PAGES + PLATFORM_PAGES}
    unknown = _page_names() - measured - set(NOT_LISTS)
    assert not unknown, f"list pages to measure here, or to name in NOT_LISTS: {sorted(unknown)}"


class Rows:
    """Makes ``n`` more rows of every list, through the services where there are some."""

    def __init__(self, platforms):  # noqa: F811 - the fixture
        self.p = platforms
        self.handler = platforms.xihu_handler
        self.officer = platforms.officer_a
        self.made = 0
        self.category = ViolationCategory.objects.get(code="consumer-dispute")
        self.provincial = platforms.zj_market_handler
        self.dept_admin = UserFactory(
            department=platforms.departments["xihu_market"], role=Role.DEPARTMENT_ADMIN
        )
        self.supervisor = UserFactory(
            department=platforms.departments["xihu_market"], role=Role.SUPERVISOR
        )

    def add(self, n: int) -> None:
        for i in range(self.made, self.made + n):
            self._one(i)
        self.made += n

    def _one(self, i: int) -> None:
        handler = self.handler
        # a colleague with two-factor set up, on the department's staff page
        colleague = UserFactory(department=self.p.departments["xihu_market"], role=Role.HANDLER)
        TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
        # one case of each kind the queues tell apart: new and unassigned (due soon);
        # filed 30 days ago and taken (its decision clock ran out: overdue, mine);
        # accepted and forwarded to the platform
        self._case(i, "0")
        with time_machine.travel(timezone.now() - timedelta(days=30), tick=False):
            late = self._case(i, "1")
        complaint_assign(complaint=late, actor=handler, assignee=handler)
        forwarded = self._case(i, "2")
        # given by the supervisor: a notification on the handler's page
        complaint_assign(complaint=forwarded, actor=self.supervisor, assignee=handler)
        complaint_accept(complaint=forwarded, actor=handler)
        complaint_forward(complaint=forwarded, actor=handler, message="请处理")
        self._others(i)

    def _case(self, i: int, suffix: str):
        p = self.p
        return complaint_submit(
            intake=Intake(
                kind="complaint",
                category=self.category,
                description="承诺七天无理由退货，收货后拒绝退货。",
                consumer_region=p.regions["xihu"],
                platform=p.a,
                live_room_account=p.room.account_id,
                contact_name="陈女士",
                contact_phone=f"138000{i:04d}{suffix}",
            )
        )

    def _others(self, i: int) -> None:
        p, handler = self.p, self.handler
        filing_submit(platform=p.a, item=item(i + 1), channel="api", actor=self.officer)
        notice_send(
            actor=handler,
            platform=p.a,
            kind=NoticeKind.VIOLATION,
            party="直播间 xh-1（杭州西子有限公司）",
            message="请核查并处置，反馈处置结果。",
        )
        platform = PlatformFactory(domicile=p.regions["xihu"])
        LiveRoomFactory(platform=platform, account_id=f"room-{i}")
        # a Guangdong platform's filed roster with an operator doing business in Xihu
        south = PlatformFactory(domicile=p.regions["tianhe"])
        roster_file(
            platform=south,
            year=2026,
            half=1,
            rows=[operator_row(100 + i, live_room_account=f"gd-{i}")],
            channel="api",
            actor=UserFactory(platform=south, role=Role.PLATFORM_OFFICER),
        )
        roster_file(
            platform=p.a,
            year=2026,
            half=1,
            rows=[operator_row(i + 1, uscc="bad")],
            channel="api",
            actor=self.officer,
        )
        listed = ListedEntryFactory(department=p.departments["xihu_market"])
        PlatformEntryFactory(platform=p.a)
        # a platform's screening that hits the Xihu entry (the screenings page)
        screening_run(actor=self.officer, queries=[ScreeningQuery(name=listed.name)], channel="web")
        screening_job_submit(
            actor=self.officer,
            body=[f'{{"name": "{listed.name}", "reference": "r-{i}"}}\n'.encode()],
            content_type="application/x-ndjson",
            channel="api",
        )
        campaign = campaign_open(
            actor=handler,
            theme=f"专项检查 {i}",
            legal_basis="《网络直播营销管理办法（试行）》第二十六条",
            period_start=date(2026, 3, 1),
            period_end=date(2026, 12, 31),
            participants=[p.departments["zj_cyber"]],
            platforms=[p.a],
        )
        document_request_send(
            actor=handler, inspection=campaign.inspections.get(), requested="提供处置记录"
        )
        clue_transfer(
            actor=handler,
            to_department=p.departments["zj_cyber"],
            facts="直播间发布违法广告内容，涉及多名用户。",
            reason="涉及网络信息内容，属网信部门职责。",
        )
        consultation_convene(
            actor=handler,
            subject=f"会商 {i}",
            background="多部门收到投诉举报。",
            held_on=date(2026, 3, 5),
            participants=[p.departments["zj_cyber"]],
        )
        interview_schedule(
            actor=handler,
            target_kind="platform",
            platform=p.a,
            ground=InterviewGround.CONSUMERS,
            ground_detail="近三个月投诉集中于退货难。",
            scheduled_for=datetime(2026, 4, 8, 9, 30, tzinfo=SHANGHAI) + timedelta(days=i),
            place="会议室",
            responsible_persons="张明 合规总监",
        )
        api_key_issue(platform=p.a, name=f"systems {i}", actor=None)
        StatisticalReport.objects.create(
            department=p.departments["xihu_market"],
            period_kind=StatisticalReport.PeriodKind.MONTHLY,
            period_start=date(2026, 1 + i % 12, 1),
            requested_by=handler,
            status=StatisticalReport.Status.DONE,
            progress=100,
        )


def _queries(client, url: str) -> tuple[int, int, int]:
    cache.clear()  # the dashboards' figures are counted afresh each time
    ContentType.objects.clear_cache()  # and the content types looked up again
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured.captured_queries), len(response.content)


def _count_all(client, pages, user_for) -> dict:
    """Status, queries and size of each page, signed in as ``user_for(url)``."""
    counts, current = {}, None
    for _name, url in pages:
        user = user_for(url)
        if user != current:
            client.force_login(user)
            current = user
        counts[url] = _queries(client, url)
    return counts


@pytest.mark.parametrize("who", ["staff", "platform"])
def test_a_list_page_costs_the_same_queries_with_2_rows_as_with_20(
    client,
    platforms,  # noqa: F811 - the fixture
    who,
    django_capture_on_commit_callbacks,
):
    rows = Rows(platforms)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    if who == "staff":
        pages = STAFF_PAGES

        def user_for(url):
            # rosters go to the province's market supervision (Order 117 Art. 9)
            if url.startswith("/accounts/staff/"):
                return rows.dept_admin
            return rows.provincial if "as=provincial" in url else rows.handler
    else:
        pages = PLATFORM_PAGES

        def user_for(url):
            return rows.officer

    with django_capture_on_commit_callbacks(execute=False):
        rows.add(2)
    small = _count_all(client, pages, user_for)
    with django_capture_on_commit_callbacks(execute=False):
        rows.add(18)
    large = _count_all(client, pages, user_for)

    not_ok = {url: status for url, (status, _n, _size) in large.items() if status != 200}
    assert not not_ok, f"pages that did not answer 200: {not_ok}"
    # the lists did get longer (the pages that show a fixed set of figures aside)
    same = {url for url, (_s, _n, size) in large.items() if size <= small[url][2]}
    assert same <= FIXED_SIZE, f"pages that did not show the new rows: {same - FIXED_SIZE}"
    grew = {url: (small[url][1], n) for url, (_s, n, _size) in large.items() if n != small[url][1]}
    assert not grew, f"queries with 2 rows → with 20 rows: {grew}"
