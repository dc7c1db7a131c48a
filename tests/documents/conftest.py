import pytest

from demo.certificates import demo_certificates_make
from tests.complaints.conftest import file_case, world  # noqa: F401 - shared fixtures

DEMO_PASSWORD = "demo-only"


@pytest.fixture
def signing(tmp_path, settings, departments):
    """A demo CA and a certificate for the Xihu market department, as seed_demo makes."""
    xihu = departments["xihu_market"]
    demo_certificates_make(tmp_path, {xihu.signing_key: xihu.name}, password=DEMO_PASSWORD)
    settings.DOCUMENT_DEMO_SIGNING_DIR = tmp_path
    return tmp_path
