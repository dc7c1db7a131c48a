from types import SimpleNamespace

import pytest

from accounts.models import Role
from registry.models import ViolationCategory
from tests.factories import (
    LiveRoomFactory,
    MarketerFactory,
    OperatorFactory,
    PlatformFactory,
    UserFactory,
)


@pytest.fixture
def world(regions, departments):
    """Xihu staff, other departments' staff, two platforms' officers and a marketer
    张伟 live in a Xihu room."""
    platform = PlatformFactory(domicile=regions["yuhang"], name="星河直播电商有限公司")
    other_platform = PlatformFactory(domicile=regions["tianhe"], name="南方直播有限公司")
    room = LiveRoomFactory(
        platform=platform,
        operator=OperatorFactory(business_region=regions["xihu"], name="杭州星光文化传媒有限公司"),
    )
    marketer = MarketerFactory(name="张伟")
    room.marketers.add(marketer)
    xihu = departments["xihu_market"]
    return SimpleNamespace(
        regions=regions,
        departments=departments,
        platform=platform,
        other_platform=other_platform,
        room=room,
        marketer=marketer,
        handler=UserFactory(department=xihu, role=Role.HANDLER, first_name="敏", last_name="王"),
        supervisor=UserFactory(department=xihu, role=Role.SUPERVISOR),
        yuhang_handler=UserFactory(department=departments["yuhang_market"], role=Role.HANDLER),
        zj_cyber=UserFactory(department=departments["zj_cyber"], role=Role.HANDLER),
        gd_handler=UserFactory(department=departments["gd_market"], role=Role.HANDLER),
        officer=UserFactory(platform=platform, role=Role.PLATFORM_OFFICER),
        other_officer=UserFactory(platform=other_platform, role=Role.PLATFORM_OFFICER),
    )


def category(code: str = "false-information") -> ViolationCategory:
    return ViolationCategory.objects.get(code=code)
