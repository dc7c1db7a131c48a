"""A platform answers a forwarded complaint with files: through its page
and through the API, each file checked by the kernel's upload checker; the answer
records who sent it, the API key's name included. The handler downloads the files
from the case page; the consumer's tracked page lists only what they sent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_key_issue
from complaints.models import Evidence
from complaints.services.forwards import complaint_forward, forward_answer
from complaints.services.intake import store_evidence
from complaints.services.workflow import complaint_accept, complaint_assign
from tests.pdftools import blank_pdf, pdf_with_javascript_in_object_stream

pytestmark = pytest.mark.django_db


@pytest.fixture
def forward(world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=case, actor=world.handler)
    return complaint_forward(complaint=case, actor=world.handler, message="请核实处理")


def pdf(name="退款凭证.pdf", data=None):
    return SimpleUploadedFile(name, data or blank_pdf(), content_type="application/pdf")


def test_the_officer_answers_with_a_file_and_the_handler_downloads_it(client, world, forward):
    client.force_login(world.officer)
    url = reverse("complaints:forward", args=[forward.pk])
    sent = client.post(url, {"answer": "已为消费者办理退款。", "files": [pdf()]})
    assert sent.status_code == 302, sent.content

    page = client.get(url).content.decode()
    kept = Evidence.objects.get(forward=forward)
    assert "退款凭证.pdf" in page
    assert kept.complaint_id == forward.complaint_id

    client.force_login(world.handler)
    case_page = client.get(reverse("complaints:detail", args=[forward.complaint_id]))
    assert reverse("complaints:evidence", args=[kept.pk]) in case_page.content.decode()
    download = client.get(reverse("complaints:evidence", args=[kept.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == blank_pdf()


def test_a_file_with_script_is_refused_beside_the_field_and_nothing_is_answered(
    client, world, forward
):
    client.force_login(world.officer)
    url = reverse("complaints:forward", args=[forward.pk])
    bad = pdf("x.pdf", pdf_with_javascript_in_object_stream("ASCII85"))
    response = client.post(url, {"answer": "已处理。", "files": [bad]})

    assert response.status_code == 400
    assert response.context["form"].errors["files"]
    forward.refresh_from_db()
    assert forward.answered_at is None
    assert not Evidence.objects.exists()


def test_an_answer_by_api_key_carries_files_and_the_keys_name(world, forward):
    _key, raw = api_key_issue(platform=world.platform, name="客服系统", actor=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    response = api.post(
        f"/api/v1/forwards/{forward.pk}/answer/",
        {"answer": "已退款", "files": [pdf(), pdf("聊天记录.pdf")]},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert [f["original_name"] for f in body["files"]] == ["退款凭证.pdf", "聊天记录.pdf"]
    assert "客服系统" in body["answered_by_label"]
    forward.refresh_from_db()
    assert "客服系统" in forward.answered_by_label


def test_the_consumer_sees_only_what_they_sent(client, world, forward):
    forward_answer(
        forward=forward,
        actor=world.officer,
        answer="已退款",
        files=[store_evidence(upload=pdf_checked())],
    )
    kept = Evidence.objects.get(forward=forward)
    session = client.session
    session["tracked_cases"] = [forward.complaint_id]
    session.save()
    assert client.get(reverse("complaints:evidence", args=[kept.pk])).status_code == 404


def pdf_checked():
    upload = pdf()
    upload.checked_content_type = "application/pdf"
    return upload
