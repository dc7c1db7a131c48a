"""Structured logs: a request id on every line, and no identity number in any line."""

import io
import json
import logging
import random
from contextlib import contextmanager
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from demo.data import demo_ric, demo_uscc
from portal.logging import IdentityMaskFilter, mask_identity_numbers
from tests.filings.conftest import platforms  # noqa: F401 - two platforms with API keys
from tests.rosters.conftest import marketer_row, operator_row

pytestmark = pytest.mark.django_db


@contextmanager
def portal_log_output(level=logging.DEBUG):
    """What the configured handlers (settings.LOGGING) write, at ``level``."""
    root = logging.getLogger()
    handlers = [
        h for h in root.handlers if any(isinstance(f, IdentityMaskFilter) for f in h.filters)
    ]
    assert handlers, "settings.LOGGING has no handler with the identity mask"
    buffer = io.StringIO()
    old_streams = [h.setStream(buffer) for h in handlers]
    # The SQL too (Django's own logging config holds "django" at INFO).
    loggers = [root, logging.getLogger("django.db.backends")]
    old_levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield buffer
    finally:
        for logger, old in zip(loggers, old_levels, strict=True):
            logger.setLevel(old)
        for handler, stream in zip(handlers, old_streams, strict=True):
            handler.setStream(stream)


def test_mask_hides_valid_resident_ids_and_credit_codes_only():
    ric = demo_ric("330106", date(1990, 3, 7), 12)
    code = demo_uscc("330106", 42)
    text = f"查询身份证{ric}，统一社会信用代码{code}，订单号123456789012345670。"

    masked = mask_identity_numbers(text)

    assert ric not in masked and f"{ric[:6]}********{ric[-4:]}" in masked
    assert code not in masked and f"{code[:8]}********{code[-2:]}" in masked
    assert "123456789012345670" in masked  # neither a valid ID nor a USCC: left alone


def test_every_line_is_json_with_the_request_id_of_its_request(client):
    with portal_log_output(logging.INFO) as out:
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="probe-0123456789")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "probe-0123456789"
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    not_found = [line for line in lines if line["message"].startswith("Not Found")]
    assert not_found and not_found[0]["request_id"] == "probe-0123456789"
    assert {"time", "level", "logger"} <= not_found[0].keys()


def test_a_request_id_is_made_when_none_or_a_malformed_one_comes(client):
    made = client.get("/healthz")["X-Request-ID"]
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")["X-Request-ID"]
    assert len(made) == 32 and made != hostile and len(hostile) == 32


def test_submission_screening_and_roster_log_no_identity_number(platforms):  # noqa: F811
    cache.clear()
    rng = random.Random(8)
    ids = [
        demo_ric("330106", date(1990 + rng.randrange(14), 1 + rng.randrange(12), 1), n)
        for n in rng.sample(range(1, 900), 6)
    ]
    officer = APIClient()
    officer.credentials(HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_a}")
    public = APIClient()

    with portal_log_output() as out, CaptureQueriesContext(connection) as queries:
        # A consumer types a resident ID number into the free text (it happens).
        complaint = public.post(
            "/api/v1/complaints/",
            {
                "kind": "complaint",
                "category": "consumer-dispute",
                "platform": platforms.a.uscc,
                "live_room_account": platforms.room.account_id,
                "description": f"主播身份证号{ids[0]}，承诺七天无理由退货，收货后拒绝退货。",
                "consumer_region": "330106",
                "contact_name": "陈女士",
                "contact_phone": "13800000001",
            },
            format="json",
        )
        screening = officer.post(
            "/api/v1/screening/", {"name": "李佳怡", "id_number": ids[1]}, format="json"
        )
        bad_screening = officer.post(
            "/api/v1/screening/", {"id_number": ids[2][:-1] + "0"}, format="json"
        )
        roster = officer.post(
            "/api/v1/rosters/",
            {
                "year": 2026,
                "half": 1,
                "rows": [operator_row(1)]
                + [marketer_row(n + 2, id_number=number) for n, number in enumerate(ids[3:])],
            },
            format="json",
        )
        logging.getLogger("portal.test").warning("a careless line with %s in it", ids[4])

    assert complaint.status_code == 201, complaint.content
    assert screening.status_code == 200, screening.content
    assert bad_screening.status_code == 400
    assert roster.status_code == 201, roster.content
    written = out.getvalue()
    # The SQL of the requests was logged (DEBUG), so the scan saw real traffic.
    assert len(queries) > 10 and "django.db.backends" in written
    assert ids[0][:6] + "********" + ids[0][-4:] in written  # the description, masked
    assert ids[4][:6] + "********" + ids[4][-4:] in written
    leaked = [number for number in ids if number in written or number.lower() in written]
    leaking_lines = [line for line in written.splitlines() if any(n in line for n in leaked)]
    assert leaked == [], leaking_lines[:3]
