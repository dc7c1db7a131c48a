"""Document requests: the clock, the platform's answer with files, and lateness
shown on both sides."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import DocumentRequest
from inspections.selectors import document_requests_visible_to
from inspections.services.common import InspectionError
from inspections.services.inspections import document_request_answer, document_request_send
from inspections.services.sweep import inspections_sweep
from portal.errors import Conflict, NotAllowed
from portal.models import Deadline

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)


def _request(world, inspection, **kwargs):
    return document_request_send(
        actor=world.handler, inspection=inspection, requested="提供处置记录", **kwargs
    )


def test_default_clock_is_ten_working_days_with_its_article(world, inspection):
    with time_machine.travel(MONDAY, tick=False):
        request = _request(world, inspection)

    deadline = Deadline.objects.for_object(request).get()
    assert (deadline.clock, deadline.working_days) == ("document-request", 10)
    assert deadline.due_on == date(2026, 3, 16)
    assert "第二十六条" in deadline.source


def test_the_department_sets_its_own_days(world, inspection):
    with time_machine.travel(MONDAY, tick=False):
        request = _request(world, inspection, working_days=3)

    assert Deadline.objects.for_object(request).get().due_on == date(2026, 3, 5)
    with pytest.raises(InspectionError):
        _request(world, inspection, working_days=0)


def test_platform_answers_with_a_file_and_the_clock_is_met(world, requested):
    request = requested.document_requests.get()

    document_request_answer(
        actor=world.officer, request=request, answer="见附件", files=[pdf_upload()]
    )
    request.refresh_from_db()

    assert request.answered_at is not None and request.answered_by == world.officer
    assert request.files.get().content_type == "application/pdf"
    assert Deadline.objects.for_object(request).get().state == Deadline.State.MET
    with pytest.raises(Conflict):
        document_request_answer(actor=world.officer, request=request, answer="again")


def test_answer_needs_text_or_files(world, requested):
    with pytest.raises(InspectionError):
        document_request_answer(
            actor=world.officer, request=requested.document_requests.get(), answer=" "
        )


@pytest.mark.parametrize("who", ["other_officer", "handler", "cyber"])
def test_only_the_inspected_platform_answers(world, requested, who):
    with pytest.raises(NotAllowed):
        document_request_answer(
            actor=getattr(world, who), request=requested.document_requests.get(), answer="x"
        )


def test_a_file_is_checked_by_its_content(client, world, requested):
    request = requested.document_requests.get()
    client.force_login(world.officer)
    fake = SimpleUploadedFile("记录.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(
        reverse("inspections:request-answer", args=[requested.pk, request.pk]),
        {f"request-{request.pk}-answer": "见附件", f"request-{request.pk}-files": [fake]},
    )

    assert response.status_code == 400
    assert not DocumentRequest.objects.get(pk=request.pk).is_answered


def test_overdue_shows_on_both_sides_and_late_answer_is_taken(client, world, inspection):
    with time_machine.travel(MONDAY, tick=False):
        request = _request(world, inspection, working_days=2)
    inspection_url = reverse("inspections:inspection", args=[inspection.pk])

    with time_machine.travel(datetime(2026, 3, 9, 10, tzinfo=SHANGHAI), tick=False):
        state = document_requests_visible_to(world.officer).get(pk=request.pk).answer_state
        client.force_login(world.handler)
        staff_page = client.get(inspection_url)
        client.force_login(world.officer)
        platform_page = client.get(inspection_url)
        platform_list = client.get(reverse("inspections:platform"))
        document_request_answer(actor=world.officer, request=request, answer="迟交")
        late_state = document_requests_visible_to(world.handler).get(pk=request.pk).answer_state
        client.force_login(world.handler)
        staff_after = client.get(inspection_url)

    assert state == "overdue"
    for page in (staff_page, platform_page, platform_list):
        assert page.status_code == 200
        assert 'class="overdue"' in page.text
    assert late_state == "answered_late"
    assert 'class="overdue"' in staff_after.text


def test_sweep_tells_platform_and_inspectors_once(
    world, inspection, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        _request(world, inspection, working_days=1)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = inspections_sweep(today=date(2026, 3, 10))
        second = inspections_sweep(today=date(2026, 3, 11))

    assert (first.overdue, second.overdue) == (1, 0)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "hz-sup@example.com",
        "hz@example.com",
        "officer@example.com",
    ]
    assert all("2026-03-03" in m.body for m in mail.outbox)


def test_platform_page_lists_requests_and_the_answer_form(client, world, requested):
    client.force_login(world.officer)

    home = client.get(reverse("inspections:platform"))
    page = client.get(reverse("inspections:inspection", args=[requested.pk]))

    assert "2026年直播电商平台专项检查" in home.text
    assert page.status_code == 200
    assert "提供2026年上半年处置记录" in page.text
    assert "request-answer" not in page.text  # the URL name never leaks; the form does
    assert f"request-{requested.document_requests.get().pk}-answer" in page.text
    # The working papers (findings) are not the platform's to see.
    assert "item-finding" not in page.text and "Record the finding" not in page.text


def test_answer_page_post_with_files(client, world, requested):
    request = requested.document_requests.get()
    client.force_login(world.officer)

    response = client.post(
        reverse("inspections:request-answer", args=[requested.pk, request.pk]),
        {f"request-{request.pk}-answer": "见附件", f"request-{request.pk}-files": [pdf_upload()]},
    )
    attachment = request.files.get()
    download = client.get(reverse("inspections:file", args=[attachment.pk]))
    client.force_login(world.other_officer)
    other = client.get(reverse("inspections:file", args=[attachment.pk]))

    assert response.status_code == 302
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert other.status_code == 404
