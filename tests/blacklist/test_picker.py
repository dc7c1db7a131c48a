"""Choosing the party of a proposal by the register search (the party picker), and
proposing from the party's page in the register: no number typed by hand."""

import re

import pytest
from django.urls import reverse

from blacklist.models import Entry
from registry.models import Supplier
from tests.factories import LiveRoomFactory, MarketerFactory, OperatorFactory

from .conftest import category

pytestmark = pytest.mark.django_db


def radios(html: str) -> list[str]:
    """The values of the party radio buttons the page offers."""
    return re.findall(r'type="radio" name="party" value="([a-z]+:\d+)"', html)


def proposal(party: str) -> dict:
    return {
        "party": party,
        "category": category().pk,
        "facts": "直播中虚构商品功效。",
        "legal_basis": "《网络直播营销管理办法（试行）》第二十九条",
        "decision_number": "杭西市监罚〔2026〕5号",
        "decision_date": "2026-02-01",
        "term_months": "36",
        "share_scope": "all",
    }


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("张伟", "张伟"),
        ("張偉", "张伟"),
        ("张 伟", "张伟"),
        ("wei zhang", "Zhang Wei"),
        ("zhang wei", "Zhang Wei"),
    ],
)
def test_a_name_in_any_form_lists_the_party_to_choose(client, world, typed, found):
    latin = MarketerFactory(name="Zhang Wei")
    world.room.marketers.add(latin)
    party = {"张伟": world.marketer, "Zhang Wei": latin}[found]
    client.force_login(world.handler)

    page = client.get(reverse("blacklist:propose"), {"party_q": typed})

    assert page.status_code == 200
    assert f"marketer:{party.pk}" in radios(page.text)


def test_a_live_room_account_lists_its_operator_and_marketers(client, world):
    client.force_login(world.handler)

    page = client.get(reverse("blacklist:propose"), {"party_q": world.room.account_id}).text

    assert set(radios(page)) == {
        f"operator:{world.room.operator.pk}",
        f"marketer:{world.marketer.pk}",
    }
    assert world.room.account_id in page  # "live room … (account, platform)"


def test_a_credit_code_finds_the_operator_and_the_supplier(client, world):
    supplier = Supplier.objects.create(name="宁波某食品厂", uscc=world.room.operator.uscc)
    client.force_login(world.handler)

    page = client.get(reverse("blacklist:propose"), {"party_q": world.room.operator.uscc}).text

    assert set(radios(page)) == {f"operator:{world.room.operator.pk}", f"supplier:{supplier.pk}"}


def test_the_search_sees_only_the_register_in_scope_and_masks_id_numbers(client, world):
    far = LiveRoomFactory(
        platform=world.other_platform,
        operator=OperatorFactory(business_region=world.regions["tianhe"], name="广州某传媒"),
    )
    far.marketers.add(MarketerFactory(name="张伟"))
    client.force_login(world.handler)

    page = client.get(reverse("blacklist:propose"), {"party_q": "张伟"}, HTTP_ACCEPT_LANGUAGE="en")

    assert radios(page.text) == [f"marketer:{world.marketer.pk}"]
    assert world.marketer.id_number_masked in page.text
    assert re.search(r"\d{17}[\dX]", page.text) is None  # no resident ID number in clear
    nobody = client.get(reverse("blacklist:propose"), {"party_q": "无此人"})
    assert radios(nobody.text) == []
    assert (
        "No party found in the register you can see."
        in client.get(
            reverse("blacklist:propose"), {"party_q": "无此人"}, HTTP_ACCEPT_LANGUAGE="en"
        ).text
    )


def test_choosing_a_party_found_proposes_it(client, world):
    client.force_login(world.handler)
    [value] = radios(client.get(reverse("blacklist:propose"), {"party_q": "張偉"}).text)

    response = client.post(reverse("blacklist:propose"), proposal(value))

    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert entry.party == world.marketer and entry.name == "张伟"


@pytest.mark.parametrize(
    "value",
    ["out-of-scope", "marketer:999999", "platform:1", "marketer:abc", "marketer:"],
)
def test_a_party_out_of_scope_or_unknown_is_refused_beside_the_field(client, world, value):
    if value == "out-of-scope":
        far = LiveRoomFactory(
            platform=world.other_platform,
            operator=OperatorFactory(business_region=world.regions["tianhe"]),
        )
        outsider = MarketerFactory(name="陈某")
        far.marketers.add(outsider)
        value = f"marketer:{outsider.pk}"
    client.force_login(world.handler)

    response = client.post(reverse("blacklist:propose"), proposal(value), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert re.search(
        r'id="id_party_error">No such party in the register you can see\.<', response.text
    )
    assert not Entry.objects.exists()


def test_no_party_chosen_asks_to_search(client, world):
    client.force_login(world.handler)

    response = client.post(reverse("blacklist:propose"), proposal(""), HTTP_ACCEPT_LANGUAGE="en")

    assert "Search the register and choose the party." in response.text
    assert not Entry.objects.exists()


def test_propose_from_the_marketers_page_comes_with_the_party_chosen(client, world):
    client.force_login(world.handler)
    marketer_page = client.get(reverse("registry:marketer", args=[world.marketer.pk])).text
    [link] = re.findall(r'id="propose-listing" href="([^"]+)"', marketer_page)
    assert link == f"{reverse('blacklist:propose')}?party=marketer:{world.marketer.pk}"

    form = client.get(link.replace("&amp;", "&")).text

    assert re.search(rf'value="marketer:{world.marketer.pk}" id="id_party_0" checked', form)
    response = client.post(reverse("blacklist:propose"), proposal(f"marketer:{world.marketer.pk}"))
    assert response.status_code == 302
    assert Entry.objects.get().party == world.marketer


def test_the_live_room_page_proposes_its_operator_and_marketers(client, world):
    client.force_login(world.handler)

    page = client.get(reverse("registry:live-room", args=[world.room.pk])).text

    propose = reverse("blacklist:propose")
    assert f"{propose}?party=operator:{world.room.operator.pk}" in page
    assert f"{propose}?party=marketer:{world.marketer.pk}" in page


def test_a_preselected_party_out_of_scope_is_not_shown(client, world):
    outsider = MarketerFactory(name="陈某")
    client.force_login(world.gd_handler)

    form = client.get(reverse("blacklist:propose"), {"party": f"marketer:{world.marketer.pk}"})

    assert form.status_code == 200
    assert radios(form.text) == [] and f"marketer:{world.marketer.pk}" not in form.text
    assert world.marketer.id_number_masked not in form.text
    assert outsider.name not in form.text


def test_who_may_not_propose_sees_no_propose_action(client, world):
    for user in (world.officer, world.supervisor):
        client.force_login(user)
        page = client.get(reverse("registry:marketer", args=[world.marketer.pk])).text
        assert ('id="propose-listing"' in page) == user.has_perm("blacklist.propose_entry")
    client.force_login(world.officer)
    assert (
        'id="propose-listing"'
        not in client.get(reverse("registry:marketer", args=[world.marketer.pk])).text
    )
