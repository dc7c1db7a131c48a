from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import DepartmentType, Role
from accounts.services import api_key_issue
from demo.data import demo_ric, demo_uscc
from tests.factories import (
    DepartmentFactory,
    LiveRoomFactory,
    MarketerFactory,
    OperatorFactory,
    PlatformFactory,
    UserFactory,
)


@pytest.fixture
def platforms(regions, departments):
    """Platform A in Yuhang (Hangzhou, Zhejiang) and platform B in Tianhe (Guangdong),
    each with an officer and an API key; Hangzhou market supervision between Yuhang's
    and Zhejiang's."""
    hz_market = DepartmentFactory(region=regions["hz"], type=DepartmentType.MARKET_SUPERVISION)
    a = PlatformFactory(domicile=regions["yuhang"], name="星河直播电商有限公司")
    b = PlatformFactory(domicile=regions["tianhe"], name="南方直播有限公司")
    key_a, raw_a = api_key_issue(platform=a, name="A systems", actor=None)
    _key_b, raw_b = api_key_issue(platform=b, name="B systems", actor=None)
    room = LiveRoomFactory(
        platform=a,
        account_id="xh-1",
        operator=OperatorFactory(business_region=regions["xihu"], name="杭州西子有限公司"),
    )
    marketer = MarketerFactory(name="李佳怡")
    room.marketers.add(marketer)
    return SimpleNamespace(
        regions=regions,
        departments={**departments, "hz_market": hz_market},
        a=a,
        b=b,
        raw_a=raw_a,
        raw_b=raw_b,
        key_a=key_a,
        room=room,
        marketer=marketer,
        officer_a=UserFactory(platform=a, role=Role.PLATFORM_OFFICER),
        officer_b=UserFactory(platform=b, role=Role.PLATFORM_OFFICER),
        yuhang_handler=UserFactory(department=departments["yuhang_market"], role=Role.HANDLER),
        xihu_handler=UserFactory(department=departments["xihu_market"], role=Role.HANDLER),
        hz_handler=UserFactory(department=hz_market, role=Role.HANDLER),
        zj_market_handler=UserFactory(department=departments["zj_market"], role=Role.HANDLER),
        zj_cyber_handler=UserFactory(department=departments["zj_cyber"], role=Role.HANDLER),
        gd_handler=UserFactory(department=departments["gd_market"], role=Role.HANDLER),
    )


def item(n: int = 1, **overrides) -> dict:
    """A valid filing about a marketer; ``n`` makes the external id."""
    acted = timezone.now() - timedelta(days=1)
    data = {
        "external_id": f"XH-{n:06d}",
        "party_kind": "marketer",
        "party_name": "李佳怡",
        "party_id_number": demo_ric("330106", date(1996, 11, 20), n % 1000),
        "live_room_account": "xh-1",
        "category": "false-information",
        "measures": ["warning"],
        "conduct_at": (acted - timedelta(days=2)).isoformat(),
        "acted_at": acted.isoformat(),
        "facts": "直播中宣称普通食品具有治疗功效。",
        "evidence_links": ["https://evidence.example.com/1.mp4"],
    }
    data.update(overrides)
    return data


def operator_item(n: int = 1, **overrides) -> dict:
    fields = {
        "party_kind": "operator",
        "party_name": "杭州某某电子商务有限公司",
        "party_id_number": "",
        "party_uscc": demo_uscc("330106", 500 + n),
        **overrides,
    }
    return item(n, **fields)
