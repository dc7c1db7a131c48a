"""Trial Art. 17 for natural-person live room operators (and marketers) wherever they
are created or filed: under 16 refused; 16 or 17 only with a guardian's consent."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from accounts.models import Role
from demo.data import demo_ric
from registry.models import Operator, PartyKind, RosterRow, RosterStatus
from registry.rosters.services import roster_file
from tests.factories import UserFactory
from tests.rosters.conftest import csv_upload, marketer_row, operator_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "on_2_march_2026")]


@pytest.fixture
def on_2_march_2026():
    with time_machine.travel(
        datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


AGED_15 = demo_ric("330106", date(2010, 6, 1), 5)  # 15 on 2026-03-02
AGED_17 = demo_ric("330106", date(2008, 6, 1), 7)
ADULT = demo_ric("330106", date(1990, 6, 1), 9)


def _person_operator(number, n=1, **overrides):
    return operator_row(n, uscc="", id_number=number, name=f"个人运营者{n}", **overrides)


def _file(platforms, rows):
    return roster_file(
        platform=platforms.a, year=2026, half=1, rows=rows, channel="api", actor=platforms.officer_a
    )


def test_a_15_year_old_natural_person_operator_is_refused_on_the_roster(platforms):
    roster = _file(
        platforms,
        [
            _person_operator(AGED_15, 1),
            _person_operator(AGED_17, 2),
            _person_operator(AGED_17, 3, guardian_consent="是"),
            _person_operator(ADULT, 4),
            operator_row(5),  # an organisation: no age
            marketer_row(6, id_number=AGED_15),
        ],
    )
    assert roster.status == RosterStatus.REJECTED
    errors = {r.row_number: r.errors for r in roster.rows.all()}
    assert "Under 16" in errors[1]["id_number"][0]
    assert "guardian" in errors[2]["guardian_consent"][0]
    assert errors[3] == errors[4] == errors[5] == {}
    assert "Under 16" in errors[6]["id_number"][0]
    assert RosterRow.objects.get(roster=roster, row_number=3).guardian_consent is True


def test_the_roster_upload_and_the_api_refuse_it_too(client, platforms):
    client.force_login(platforms.officer_a)
    upload = csv_upload([_person_operator(AGED_15)])
    client.post("/rosters/", {"year": 2026, "half": 1, "file": upload})
    (roster,) = platforms.a.rosters.all()
    assert roster.status == RosterStatus.REJECTED
    assert "Under 16" in roster.rows.get().errors["id_number"][0]

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_a}")
    answer = api.post(
        "/api/v1/rosters/",
        {"year": 2026, "half": 1, "rows": [_person_operator(AGED_15)]},
        format="json",
    )
    assert answer.status_code == 422, answer.content
    body = answer.json()
    assert body["status"] == RosterStatus.REJECTED
    assert "未满十六周岁" in str(body["errors"])  # the API answers in Chinese


def test_the_model_refuses_a_15_year_old_operator_and_wants_consent_at_17():
    young = Operator(kind=PartyKind.PERSON, name="少年")
    young.set_id_number(AGED_15)
    assert young.birth_date == date(2010, 6, 1)
    with pytest.raises(ValidationError) as refused:
        young.full_clean()
    assert "Under 16" in str(refused.value)

    minor = Operator(kind=PartyKind.PERSON, name="少年")
    minor.set_id_number(AGED_17)
    with pytest.raises(ValidationError) as wanting:
        minor.full_clean()
    assert "guardian_consent" in wanting.value.message_dict
    minor.guardian_consent = True
    minor.full_clean()

    company = Operator(kind=PartyKind.ORGANISATION, name="公司", uscc="91330106MA2B3C4D5E")
    assert company.age_status() is None


def test_the_admin_refuses_a_15_year_old_operator_beside_the_number(client):
    admin = UserFactory(role=Role.SITE_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/registry/operator/add/",
        {"kind": PartyKind.PERSON, "name": "少年", "id_number": AGED_15},
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Under 16" in " ".join(form.errors.get("id_number", []))
    assert not Operator.objects.filter(name="少年").exists()
