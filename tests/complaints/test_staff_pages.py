"""Staff pages: queues, filters, export, the case page and its actions; documents; emails."""

import csv
import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from complaints.models import Complaint
from complaints.notifications import CONSUMER_TEMPLATES, consumer_email
from complaints.services.common import case_rule_set, decline_grounds
from complaints.services.forwards import complaint_forward
from complaints.services.workflow import complaint_accept, complaint_assign, complaint_decline
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db

CONFIRM_FORM = r'<form method="post"[^>]*class="narrow-form confirm-form">.*?</form>'


def test_queues_and_filters(client, world, file_case):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        mine = file_case()
        complaint_assign(complaint=mine, actor=world.handler, assignee=world.handler)
        report = file_case(kind="report", category="false-information", contact_phone="13911111111")
    client.force_login(world.handler)

    with time_machine.travel(date(2026, 11, 9), tick=False):
        pages = {
            q: client.get(reverse("complaints:list"), {"queue": q}).text
            for q in ("mine", "unassigned", "due_soon", "overdue")
        }
        filtered = client.get(reverse("complaints:list"), {"queue": "open", "kind": "report"}).text
    with time_machine.travel(date(2026, 11, 12), tick=False):
        overdue = client.get(reverse("complaints:list"), {"queue": "overdue"}).text

    assert mine.tracking_code in pages["mine"] and report.tracking_code not in pages["mine"]
    assert (
        report.tracking_code in pages["unassigned"]
        and mine.tracking_code not in pages["unassigned"]
    )
    # The complaint is due 11 November: within 3 working days of the 9th; the report is not.
    assert mine.tracking_code in pages["due_soon"] and report.tracking_code not in pages["due_soon"]
    assert mine.tracking_code not in pages["overdue"]
    assert mine.tracking_code in overdue
    assert report.tracking_code in filtered and mine.tracking_code not in filtered


def test_csv_export_is_what_the_filter_shows(client, world, file_case):
    file_case()
    report = file_case(kind="report", category="false-information", contact_phone="13911111111")
    client.force_login(world.handler)

    response = client.get(reverse("complaints:export"), {"queue": "all", "kind": "report"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [report.tracking_code]


def test_list_page_costs_a_fixed_number_of_queries(
    client, world, file_case, django_assert_max_num_queries
):
    client.force_login(world.handler)
    file_case()
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("complaints:list"), {"queue": "all"})
    for i in range(10):
        file_case(contact_phone=f"1390000{i:04d}")
    with django_assert_max_num_queries(40) as many:
        client.get(reverse("complaints:list"), {"queue": "all"})

    assert len(many.captured_queries) == len(few.captured_queries)


def test_case_page_offers_only_what_state_and_role_allow(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    url = reverse("complaints:detail", args=[case.pk])

    client.force_login(world.handler)
    as_handler = client.get(url).text
    client.force_login(world.other_handler)
    as_other = client.get(url).text
    client.force_login(world.dept_admin)
    as_admin = client.get(url).text

    assert 'id="action-accept"' in as_handler and 'id="action-close"' not in as_handler
    assert 'id="action-accept"' not in as_other and 'id="action-note"' in as_other
    assert 'id="action-' not in as_admin


def test_page_action_with_bad_input_shows_the_error_beside_the_field(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    client.force_login(world.handler)

    page = client.post(
        reverse("complaints:action", args=[case.pk, "decline"]),
        {"decline-reason": "", "decline-message": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 400
    assert 'id="id_decline-reason_error"' in page.text
    assert Complaint.objects.get().status == "received"


def test_declining_with_no_ground_chosen_is_refused_beside_the_field(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    events = case.events.count()
    client.force_login(world.handler)

    for confirm in ({}, {"confirm": "yes"}):
        page = client.post(
            reverse("complaints:action", args=[case.pk, "decline"]),
            {"decline-reason": "", "decline-message": "不属于本部门管辖。", **confirm},
            HTTP_ACCEPT_LANGUAGE="en",
        )

        error = re.search(
            r'<p class="error-message" id="id_decline-reason_error">(.*?)</p>', page.text
        )
        assert page.status_code == 400
        assert error and error.group(1) == "Choose the ground on which the complaint is declined."
    case.refresh_from_db()
    assert (case.status, case.decline_reason, case.outcome_text) == ("received", "", "")
    assert case.events.count() == events


def test_page_actions_move_the_case(client, world, file_case):
    case = file_case()
    client.force_login(world.handler)

    client.post(reverse("complaints:action", args=[case.pk, "take"]))
    client.post(reverse("complaints:action", args=[case.pk, "accept"]), {"accept-message": ""})
    asked = client.post(
        reverse("complaints:action", args=[case.pk, "close"]),
        {"close-outcome": "mediated", "close-outcome_text": "达成和解"},
    )
    case.refresh_from_db()
    status_when_asked = case.status
    response = client.post(
        reverse("complaints:action", args=[case.pk, "close"]),
        {"close-outcome": "mediated", "close-outcome_text": "达成和解", "confirm": "yes"},
    )

    assert asked.status_code == 200 and 'id="confirm-button"' in asked.text
    assert status_when_asked == "accepted"
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.assignee) == ("closed", "mediated", world.handler)


def test_decision_notice_and_summary_pdfs(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_decline(
        complaint=case, actor=world.handler, reason="time_barred", message="已超过三年"
    )
    client.force_login(world.handler)

    notice = pdf_text(
        client.get(reverse("complaints:document", args=[case.pk, "decision"])).content
    )
    summary = pdf_text(
        client.get(reverse("complaints:document", args=[case.pk, "summary"])).content
    )

    with translation.override("zh-hans"):
        title = translation.gettext("Notice of non-acceptance of a complaint")
    assert title.replace(" ", "") in notice.replace(" ", "")
    assert "已超过三年" in notice
    assert case.tracking_code in summary


@pytest.mark.parametrize("template", sorted(CONSUMER_TEMPLATES))
def test_every_consumer_email_exists_in_chinese_and_english(file_case, template):
    case = file_case()

    zh_subject, zh_body = consumer_email(case, template, language="zh-hans")
    en_subject, en_body = consumer_email(case, template, language="en")

    assert case.tracking_code in zh_subject and case.tracking_code in en_subject
    assert zh_body != en_body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh_subject)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en_subject)


def test_platform_officer_answers_a_forwarded_case_on_the_page(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=case, actor=world.handler)
    forward = complaint_forward(complaint=case, actor=world.handler, message="请处理")
    client.force_login(world.officer)

    listed = client.get(reverse("complaints:forwards"))
    client.post(reverse("complaints:forward", args=[forward.pk]), {"answer": "已退款"})

    assert case.tracking_code in listed.text
    forward.refresh_from_db()
    assert forward.answer == "已退款"


def test_received_between_counts_whole_local_days(client, world, file_case):
    """00:30 in Beijing on 11 November is 16:30 UTC on the 10th: the case was
    received on the 11th for the department, and the filter says so at both ends."""
    from datetime import UTC, datetime

    late = file_case()
    Complaint.objects.filter(pk=late.pk).update(
        received_at=datetime(2026, 11, 10, 16, 30, tzinfo=UTC)
    )
    client.force_login(world.handler)

    def shown(**bounds):
        page = client.get(reverse("complaints:list"), {"queue": "all", **bounds}).text
        return late.tracking_code in page

    assert shown(received_from="2026-11-11", received_to="2026-11-11")
    assert not shown(received_from="2026-11-12")
    assert not shown(received_to="2026-11-10")
    assert shown(received_from="2026-11-09", received_to="2026-11-12")


def _hidden(page: str) -> dict:
    """The values a confirm page carries to the confirming POST."""
    form = re.search(CONFIRM_FORM, page, re.S)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


def test_declining_asks_first_and_only_the_confirming_post_declines(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    events = case.events.count()
    client.force_login(world.handler)
    page = client.get(reverse("complaints:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    decline = re.search(r'<select name="decline-reason".*?</select>', page.text, re.S).group(0)
    ground = re.findall(r'<option value="([^"]+)"', decline)[0]
    with translation.override("en"):
        chosen = next(g.label for g in decline_grounds(case) if g.code == ground)
        rules = case_rule_set(case).label

    asked = client.post(
        reverse("complaints:action", args=[case.pk, "decline"]),
        {"decline-reason": ground, "decline-message": "不属于本部门管辖。"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    case.refresh_from_db()
    untouched = (case.status, case.events.count())
    carried = _hidden(asked.text)
    confirmed = client.post(reverse("complaints:action", args=[case.pk, "decline"]), carried)

    # Nothing is chosen for the handler: the first option is the empty one, none selected.
    assert "selected" not in re.sub(r'<option value=""[^>]*>', "", decline)
    assert asked.status_code == 200
    assert "Decline complaint" in asked.text and "notice of non-acceptance" in asked.text
    assert escape(chosen) in asked.text and escape(rules) in asked.text
    assert "不属于本部门管辖。" in asked.text
    assert 'id="confirm-cancel"' in asked.text
    assert untouched == ("received", events)
    assert carried["decline-reason"] == ground and carried["confirm"] == "yes"
    assert confirmed.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.decline_reason) == ("declined", ground)


def test_merging_asks_first(client, world, file_case):
    first = file_case()
    second = file_case(description="重复")
    client.force_login(world.supervisor)
    url = reverse("complaints:action", args=[second.pk, "merge"])

    asked = client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    second.refresh_from_db()
    status_when_asked = second.status
    done = client.post(url, {"confirm": "yes"})

    assert asked.status_code == 200 and first.tracking_code in asked.text
    assert status_when_asked == "received"
    assert done.status_code == 302
    second.refresh_from_db()
    assert second.status == "merged"


def test_taking_a_case_is_one_click(client, world, file_case):
    case = file_case()
    client.force_login(world.handler)

    page = client.get(reverse("complaints:detail", args=[case.pk])).text
    take = re.search(r'<form method="post" action="[^"]*/do/take/"[^>]*id="action-take">', page)

    assert take is not None  # a button of its own, not inside a folded box
    assert '<details class="action" id="action-take"' not in page
    # The button's one POST takes it: no confirm step, no form to fill.
    taken = client.post(reverse("complaints:action", args=[case.pk, "take"]))
    assert taken.status_code == 302
    case.refresh_from_db()
    assert case.assignee == world.handler


def test_a_clock_past_its_due_date_reads_overdue_before_the_sweep_marks_it(
    client, world, file_case
):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = file_case()
    client.force_login(world.handler)

    with time_machine.travel(date(2026, 11, 12), tick=False):  # due 11 November; no sweep
        page = client.get(reverse("complaints:detail", args=[case.pk])).text
    clocks = page.split('id="deadlines-title"')[1].split("</section>")[0]

    assert "已逾期" in clocks
    assert "计时中" not in clocks
