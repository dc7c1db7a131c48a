"""Jurisdiction: each rule of DESIGN.md "Jurisdiction and roles" as its own test."""

import pytest
from django.urls import reverse

from accounts.models import DepartmentType, Role
from complaints.selectors import complaints_visible_to
from registry.selectors import (
    live_rooms_visible_to,
    marketers_visible_to,
    operators_visible_to,
)
from tests.factories import (
    ComplaintFactory,
    DepartmentFactory,
    LiveRoomFactory,
    MarketerFactory,
    OperatorFactory,
    PlatformFactory,
    UserFactory,
)


@pytest.fixture
def cases(departments):
    """One market supervision case held in each of Xihu, Yuhang and Guangdong,
    and one cyberspace case in Zhejiang."""
    return {
        "xihu": ComplaintFactory(department=departments["xihu_market"]),
        "yuhang": ComplaintFactory(department=departments["yuhang_market"]),
        "gd": ComplaintFactory(department=departments["gd_market"]),
        "zj_cyber": ComplaintFactory(department=departments["zj_cyber"]),
    }


def staff(department, role=Role.HANDLER):
    return UserFactory(department=department, role=role)


def test_county_department_sees_its_county_only(departments, cases):
    handler = staff(departments["xihu_market"])

    visible = set(complaints_visible_to(handler))

    assert visible == {cases["xihu"]}


def test_provincial_department_sees_the_province_and_below(departments, cases):
    handler = staff(departments["zj_market"])

    visible = set(complaints_visible_to(handler))

    assert visible == {cases["xihu"], cases["yuhang"]}
    assert cases["gd"] not in visible


def test_department_of_another_type_sees_nothing_outside_its_matters(departments, cases):
    cyber = staff(departments["zj_cyber"])

    visible = set(complaints_visible_to(cyber))

    assert visible == {cases["zj_cyber"]}


def test_platform_officer_sees_only_their_platform(regions):
    own, other = (
        PlatformFactory(domicile=regions["yuhang"]),
        PlatformFactory(domicile=regions["tianhe"]),
    )
    own_room = LiveRoomFactory(platform=own)
    LiveRoomFactory(platform=other)
    officer = UserFactory(platform=own, role=Role.PLATFORM_OFFICER)

    assert list(live_rooms_visible_to(officer)) == [own_room]
    assert not complaints_visible_to(officer).exists()


def test_live_room_lies_where_its_operator_does_business(departments, regions):
    """Order 117 Art. 47: business place, else domicile, else the platform's domicile."""
    platform = PlatformFactory(domicile=regions["tianhe"])
    in_xihu = LiveRoomFactory(
        platform=platform,
        operator=OperatorFactory(business_region=regions["xihu"], domicile=regions["tianhe"]),
    )
    registered_in_yuhang = LiveRoomFactory(
        platform=platform, operator=OperatorFactory(domicile=regions["yuhang"])
    )
    unknown_place = LiveRoomFactory(platform=platform, operator=None)

    assert set(live_rooms_visible_to(staff(departments["xihu_market"]))) == {in_xihu}
    assert set(live_rooms_visible_to(staff(departments["zj_market"]))) == {
        in_xihu,
        registered_in_yuhang,
    }
    assert set(live_rooms_visible_to(staff(departments["gd_market"]))) == {unknown_place}


def test_register_is_shared_by_every_type_within_the_region(departments, regions):
    room = LiveRoomFactory(
        platform=PlatformFactory(domicile=regions["xihu"]),
        operator=OperatorFactory(business_region=regions["xihu"]),
    )
    room.marketers.add(MarketerFactory())
    cyber = staff(departments["zj_cyber"])

    assert list(live_rooms_visible_to(cyber)) == [room]
    assert list(operators_visible_to(cyber)) == [room.operator]
    assert marketers_visible_to(cyber).count() == 1


def test_out_of_scope_pages_answer_404(client, departments, regions):
    here = LiveRoomFactory(
        platform=PlatformFactory(domicile=regions["xihu"]),
        operator=OperatorFactory(business_region=regions["xihu"]),
    )
    there = LiveRoomFactory(
        platform=PlatformFactory(domicile=regions["tianhe"]),
        operator=OperatorFactory(business_region=regions["tianhe"]),
    )
    marketer_there = MarketerFactory()
    there.marketers.add(marketer_there)
    client.force_login(staff(departments["xihu_market"]))

    assert client.get(reverse("registry:live-room", args=[here.pk])).status_code == 200
    assert client.get(reverse("registry:live-room", args=[there.pk])).status_code == 404
    assert client.get(reverse("registry:marketer", args=[marketer_there.pk])).status_code == 404


def test_user_without_organisation_sees_nothing(departments, cases):
    nobody = UserFactory(role=Role.HANDLER)

    assert not complaints_visible_to(nobody).exists()
    assert not live_rooms_visible_to(nobody).exists()


def test_national_department_sees_every_province(departments, cases, regions):
    national = DepartmentFactory(region=regions["nation"], type=DepartmentType.MARKET_SUPERVISION)

    visible = set(complaints_visible_to(staff(national)))

    assert visible == {cases["xihu"], cases["yuhang"], cases["gd"]}
