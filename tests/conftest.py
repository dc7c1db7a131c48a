import pytest

from accounts.models import DepartmentType, Region
from tests.factories import DepartmentFactory, region

# The whole run's logs are scanned for every identity number it generated
# ; LOG_SCAN=0 turns the scan off.
pytest_plugins = ["tests.log_scan"]


@pytest.fixture
def regions(db):
    """A small tree: the nation, two provinces, a city and its counties."""
    nation = region("100000", "全国", Region.Level.NATIONAL, None)
    zj = region("330000", "浙江省", Region.Level.PROVINCE, nation)
    hz = region("330100", "杭州市", Region.Level.CITY, zj)
    xihu = region("330106", "西湖区", Region.Level.COUNTY, hz)
    yuhang = region("330110", "余杭区", Region.Level.COUNTY, hz)
    gd = region("440000", "广东省", Region.Level.PROVINCE, nation)
    gz = region("440100", "广州市", Region.Level.CITY, gd)
    tianhe = region("440106", "天河区", Region.Level.COUNTY, gz)
    return {
        "nation": nation,
        "zj": zj,
        "hz": hz,
        "xihu": xihu,
        "yuhang": yuhang,
        "gd": gd,
        "gz": gz,
        "tianhe": tianhe,
    }


@pytest.fixture
def departments(regions):
    market = DepartmentType.MARKET_SUPERVISION
    return {
        "zj_market": DepartmentFactory(region=regions["zj"], type=market),
        "zj_cyber": DepartmentFactory(region=regions["zj"], type=DepartmentType.CYBERSPACE),
        "xihu_market": DepartmentFactory(region=regions["xihu"], type=market),
        "yuhang_market": DepartmentFactory(region=regions["yuhang"], type=market),
        "gd_market": DepartmentFactory(region=regions["gd"], type=market),
    }


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    """Each test starts with an empty per-process reference cache (portal.lookups):
    the rows an earlier test made were rolled back and must not be remembered."""
    from portal.lookups import reference

    reference.reset()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request through the test client
    leaves its language active in the thread, and the next test would read it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: with REDIS_URL set (CI) the cache is
    Redis, and an earlier test's submissions would count against this test's
    per-address rate limit (complaints.views, COMPLAINT_RATE_LIMIT)."""
    from django.core.cache import cache

    cache.clear()
