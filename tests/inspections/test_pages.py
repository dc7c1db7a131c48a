"""Every page opens for the roles it is for, in both languages, and the navigation
links to them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "inspections:campaigns",
    "inspections:campaign-new",
    "inspections:risk",
    "inspections:clues",
    "inspections:clue-new",
    "inspections:consultations",
    "inspections:consultation-new",
    "inspections:interviews",
    "inspections:interview-new",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_staff_pages_open(client, world, campaign, name, language):
    client.force_login(world.handler)

    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "name", ["inspections:campaign-new", "inspections:clue-new", "inspections:risk"]
)
def test_platform_officers_are_kept_out_of_staff_pages(client, world, name):
    client.force_login(world.officer)

    assert client.get(reverse(name)).status_code == 403


def test_department_admin_sees_but_does_not_open(client, world, campaign):
    client.force_login(world.dept_admin)

    assert client.get(reverse("inspections:campaigns")).status_code == 200
    assert client.get(reverse("inspections:campaign-new")).status_code == 403


def test_campaign_pages(client, world, campaign):
    client.force_login(world.handler)

    page = client.get(reverse("inspections:campaign", args=[campaign.pk]))
    added = client.post(
        reverse("inspections:campaign", args=[campaign.pk]),
        {"form": "add", "platform": world.other.pk},
    )

    assert world.platform.label in page.text
    assert added.status_code == 302
    assert campaign.inspections.count() == 2


def test_campaign_opened_from_the_form(client, world):
    client.force_login(world.handler)

    response = client.post(
        reverse("inspections:campaign-new"),
        {
            "theme": "直播带货专项检查",
            "legal_basis": "《网络直播营销管理办法（试行）》第二十六条",
            "period_start": "2026-04-01",
            "period_end": "2026-06-30",
            "participants": [world.departments["zj_cyber"].pk],
            "platforms": [world.platform.pk],
        },
    )

    assert response.status_code == 302
    campaign = world.hz_market.campaigns_led.get()
    assert campaign.inspections.get().platform == world.platform
    assert list(campaign.participants.all()) == [world.departments["zj_cyber"]]


def test_period_must_be_in_order(client, world):
    client.force_login(world.handler)

    response = client.post(
        reverse("inspections:campaign-new"),
        {
            "theme": "x",
            "legal_basis": "y",
            "period_start": "2026-06-30",
            "period_end": "2026-04-01",
        },
    )

    assert response.status_code == 400
    assert not world.hz_market.campaigns_led.exists()


def test_navigation_links(client, world):
    client.force_login(world.handler)
    staff = client.get(reverse("home")).text
    client.force_login(world.officer)
    platform = client.get(reverse("home")).text

    for name in ("campaigns", "risk", "clues", "consultations", "interviews"):
        assert f'href="{reverse("inspections:" + name)}"' in staff
    assert f'href="{reverse("inspections:platform")}"' in platform
    assert f'href="{reverse("inspections:risk")}"' not in platform
