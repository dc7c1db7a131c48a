"""`check --deploy` refuses identity keys that are malformed, short or published.

Each case runs manage.py in a subprocess with the production settings, as an
operator's start-up (deploy/systemd/portal-web.service) does.
"""

import base64
import os
import secrets

import pytest
from django.conf import settings

from tests.portal.test_security import manage, production_env

# The keys committed in config/settings/dev.py and test.py: public, so refused.
DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktaWRlbnRpdHkta2V5LTMyLWJ5dGVzISE="
DEV_HASH_KEY = "dev-only-identity-hash-key"
TEST_ENCRYPTION_KEY = "dGVzdC1vbmx5LWlkZW50aXR5LWtleS0zMi1ieXRlcyE="
TEST_HASH_KEY = "test-only-identity-hash-key"


def test_the_published_keys_are_those_committed():
    dev = (settings.BASE_DIR / "config" / "settings" / "dev.py").read_text()
    test = (settings.BASE_DIR / "config" / "settings" / "test.py").read_text()
    assert DEV_ENCRYPTION_KEY in dev and DEV_HASH_KEY in dev
    assert TEST_ENCRYPTION_KEY in test and TEST_HASH_KEY in test


@pytest.mark.parametrize(
    ("overrides", "refused"),
    [
        ({"IDENTITY_ENCRYPTION_KEY": "abc"}, {"portal.E001"}),
        (  # well-formed base 64, but 16 bytes: not a Fernet key
            {"IDENTITY_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(16)).decode()},
            {"portal.E001"},
        ),
        ({"IDENTITY_ENCRYPTION_KEY": DEV_ENCRYPTION_KEY}, {"portal.E003"}),
        ({"IDENTITY_ENCRYPTION_KEY": TEST_ENCRYPTION_KEY}, {"portal.E003"}),
        ({"IDENTITY_ENCRYPTION_KEY_FALLBACKS": "abc"}, {"portal.E001"}),
        ({"IDENTITY_HASH_KEY": "a" * 31}, {"portal.E002"}),
        ({"IDENTITY_HASH_KEY": DEV_HASH_KEY}, {"portal.E002", "portal.E003"}),
        ({"IDENTITY_HASH_KEY": TEST_HASH_KEY}, {"portal.E002", "portal.E003"}),
        ({"IDENTITY_HASH_KEY": TEST_HASH_KEY + "-padded-out-to-32-bytes"}, set()),
        ({"IDENTITY_HASH_KEY": secrets.token_urlsafe(48)}, set()),
    ],
)
def test_check_deploy_refuses_bad_identity_keys(tmp_path, overrides, refused):
    result = manage(production_env(tmp_path, **overrides), "check", "--deploy")

    found = {f"portal.E00{n}" for n in (1, 2, 3) if f"portal.E00{n}" in result.stderr}
    assert found == refused, result.stderr[-2000:]
    if refused:
        assert result.returncode != 0
        assert "SystemCheckError" in result.stderr
