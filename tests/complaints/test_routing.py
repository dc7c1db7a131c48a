"""Routing: Order 117 Art. 47 for the place, the category's department type, triage."""

import pytest

from complaints.routing import RoutingBasis
from tests.factories import LiveRoomFactory, OperatorFactory

pytestmark = pytest.mark.django_db


def test_operator_business_place_decides(world, file_case):
    case = file_case()

    assert case.department == world.departments["xihu_market"]
    assert case.routing_basis == RoutingBasis.OPERATOR_BUSINESS
    assert case.live_room == world.room


def test_registered_operator_domicile_when_no_business_place_is_known(world, file_case):
    LiveRoomFactory(
        platform=world.platform,
        account_id="room-2",
        operator=OperatorFactory(domicile=world.regions["yuhang"], registered_entity=True),
    )

    case = file_case(live_room_account="room-2", consumer_region=world.regions["tianhe"])

    assert case.department == world.departments["yuhang_market"]
    assert case.routing_basis == RoutingBasis.OPERATOR_DOMICILE
    assert case.in_triage is False


def test_unregistered_operator_goes_to_the_platform_domicile_not_its_own(world, regions, file_case):
    """Art. 47 ¶2: an operator not registered as a business entity is placed by the
    platform operator's domicile, even though its own domicile is on record."""
    platform = world.platform
    platform.domicile = regions["xihu"]
    platform.save()
    LiveRoomFactory(
        platform=platform,
        account_id="room-3",
        operator=OperatorFactory(
            kind="person", uscc="", domicile=regions["yuhang"], registered_entity=False
        ),
    )

    case = file_case(live_room_account="room-3")

    assert case.department == world.departments["xihu_market"]
    assert case.routing_basis == RoutingBasis.PLATFORM_DOMICILE
    assert case.in_triage is False


def test_unknown_operator_goes_to_the_platform_domicile_flagged_for_triage(world, file_case):
    case = file_case(live_room_account="unknown-room", consumer_region=world.regions["tianhe"])

    assert case.department == world.departments["yuhang_market"]
    assert case.routing_basis == RoutingBasis.PLATFORM_DOMICILE
    assert case.live_room is None
    assert case.in_triage is True


def test_no_consumer_region_fallback_a_case_without_a_platform_is_triaged(world, file_case):
    case = file_case(
        platform=None, platform_other="某小平台", consumer_region=world.regions["tianhe"]
    )

    # Nothing places it: the provincial market supervision department where it was
    # filed triages it by hand; its region is never its jurisdiction by rule.
    assert case.department == world.departments["gd_market"]
    assert case.routing_basis == RoutingBasis.TRIAGE
    assert case.in_triage is True


def test_category_decides_the_department_type(world, file_case):
    case = file_case(kind="report", category="prohibited-content")

    assert case.department == world.departments["zj_cyber"]


def test_case_no_department_can_take_goes_to_provincial_triage(world, file_case):
    # Fraud is public security's; there is none in Zhejiang here.
    case = file_case(kind="report", category="fraud-gambling")

    assert case.department == world.departments["zj_market"]
    assert case.in_triage is True
    assert case.routing_basis == RoutingBasis.TRIAGE


def test_the_mapping_is_data_an_admin_edits(world, file_case):
    from registry.models import ViolationCategory

    ViolationCategory.objects.filter(code="consumer-dispute").update(
        department_types=["cyberspace"]
    )

    case = file_case()

    assert case.department == world.departments["zj_cyber"]


def test_the_queue_indexes_cover_exactly_the_open_cases():
    """The partial indexes of the staff queues (Complaint.Meta) spell out the
    finished statuses; they must be the ones the queues exclude."""
    from complaints.models import FINISHED_STATUSES, OPEN_CASE

    (negated,) = OPEN_CASE.children
    assert OPEN_CASE.negated
    assert set(negated[1]) == {str(status) for status in FINISHED_STATUSES}
