from types import SimpleNamespace

import pytest

from accounts.models import Role
from complaints.services.intake import Intake, complaint_submit
from registry.models import ViolationCategory
from tests.factories import LiveRoomFactory, OperatorFactory, PlatformFactory, UserFactory


@pytest.fixture
def world(regions, departments):
    """A platform in Yuhang with a live room run from Xihu, and the Xihu staff."""
    platform = PlatformFactory(domicile=regions["yuhang"])
    room = LiveRoomFactory(
        platform=platform,
        account_id="room-1",
        operator=OperatorFactory(business_region=regions["xihu"], domicile=regions["tianhe"]),
    )
    xihu = departments["xihu_market"]
    return SimpleNamespace(
        regions=regions,
        departments=departments,
        platform=platform,
        room=room,
        handler=UserFactory(department=xihu, role=Role.HANDLER, email="handler@example.com"),
        other_handler=UserFactory(department=xihu, role=Role.HANDLER),
        supervisor=UserFactory(
            department=xihu, role=Role.SUPERVISOR, email="supervisor@example.com"
        ),
        dept_admin=UserFactory(department=xihu, role=Role.DEPARTMENT_ADMIN),
        officer=UserFactory(
            platform=platform, role=Role.PLATFORM_OFFICER, email="officer@example.com"
        ),
    )


def category(code: str) -> ViolationCategory:
    return ViolationCategory.objects.get(code=code)


@pytest.fixture
def file_case(world):
    """File a case through the intake service, as the public form does."""

    def make(**overrides):
        fields = {
            "kind": "complaint",
            "category": category("consumer-dispute"),
            "description": "承诺七天无理由退货，收货后拒绝退货。",
            "consumer_region": world.regions["xihu"],
            "platform": world.platform,
            "live_room_account": world.room.account_id,
            "contact_name": "陈女士",
            "contact_phone": "13800000001",
            "contact_email": "chen@example.com",
        }
        fields.update(overrides)
        if isinstance(fields["category"], str):
            fields["category"] = category(fields["category"])
        return complaint_submit(intake=Intake(**fields))

    return make
