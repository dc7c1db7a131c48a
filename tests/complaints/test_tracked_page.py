"""The tracked case shows the consumer what they sent, with their evidence, the
receipt, the rule set and the time limits; the files open only for them."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.test_public_pages import PNG, form_data

pytestmark = pytest.mark.django_db


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_the_consumer_sees_what_they_sent_and_downloads_their_evidence(client, world):
    photo = SimpleUploadedFile("订单截图.png", PNG, content_type="image/png")
    data = form_data(
        client,
        world,
        evidence=[photo],
        live_room_name="好物直播间",
        amount="199.50",
        order_number="DD-20260301-889",
    )
    client.post(reverse("complaints:new"), data)
    case = Complaint.objects.get()
    assert case.amount == Decimal("199.50")

    page = client.get(reverse("complaints:tracked", args=[case.tracking_code]))
    sent = re.search(r'<dl class="facts" id="case-sent">.*?</dl>', page.text, re.S).group(0)
    link = re.search(r'href="(/complaints/evidence/\d+/)"', sent).group(1)

    for shown in (
        "直播间承诺七天无理由退货，收货后拒绝退货。",
        world.platform.name,
        "好物直播间",
        world.room.account_id,
        "199.50",
        "DD-20260301-889",
        "订单截图.png",
    ):
        assert shown in sent
    assert reverse("complaints:receipt", args=[case.tracking_code]) in page.text
    assert 'id="case-rule-set"' in page.text
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert Client().get(link).status_code == 404  # nobody else's session
