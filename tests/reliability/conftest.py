import pytest

from accounts.models import Role
from complaints.services.intake import Intake, complaint_submit
from registry.models import ViolationCategory
from tests.factories import LiveRoomFactory, OperatorFactory, PlatformFactory, UserFactory


@pytest.fixture
def submit(regions, departments):
    """File a complaint through the intake service, as the public form and API do."""
    platform = PlatformFactory(domicile=regions["yuhang"])
    room = LiveRoomFactory(
        platform=platform,
        account_id="room-1",
        operator=OperatorFactory(business_region=regions["xihu"]),
    )
    UserFactory(department=departments["xihu_market"], role=Role.HANDLER, email="h@example.com")

    def make(**overrides):
        fields = {
            "kind": "complaint",
            "category": ViolationCategory.objects.get(code="consumer-dispute"),
            "description": "承诺七天无理由退货，收货后拒绝退货。",
            "consumer_region": regions["xihu"],
            "platform": platform,
            "live_room_account": room.account_id,
            "contact_name": "陈女士",
            "contact_phone": "13800000001",
            "contact_email": "chen@example.com",
        }
        fields.update(overrides)
        return complaint_submit(intake=Intake(**fields))

    return make
