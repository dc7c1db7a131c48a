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


def test_operator_domicile_when_no_business_place_is_known(world, file_case):
    LiveRoomFactory(
        platform=world.platform,
        account_id="room-2",
        operator=OperatorFactory(domicile=world.regions["yuhang"]),
    )

    case = file_case(live_room_account="room-2")

    assert case.department == world.departments["yuhang_market"]
    assert case.routing_basis == RoutingBasis.OPERATOR_DOMICILE


def test_platform_domicile_when_the_live_room_is_not_on_record(world, file_case):
    case = file_case(live_room_account="unknown-room")

    assert case.department == world.departments["yuhang_market"]
    assert case.routing_basis == RoutingBasis.PLATFORM_DOMICILE
    assert case.live_room is None


def test_consumer_region_is_the_last_resort_and_the_nearest_department_above_takes_it(
    world, file_case
):
    case = file_case(
        platform=None, platform_other="某小平台", consumer_region=world.regions["tianhe"]
    )

    # No market supervision in Tianhe or Guangzhou: Guangdong's provincial one.
    assert case.department == world.departments["gd_market"]
    assert case.routing_basis == RoutingBasis.CONSUMER_REGION


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
