"""schemathesis over the whole OpenAPI schema (``/api/schema/``), through the WSGI
application against the test database.

Every operation of the schema is called with generated data — valid and invalid —
as a platform (``Api-Key``) and as a regulator's staff script (``Token``), a
bounded number of examples each (``FUZZ_EXAMPLES``, default 15), and every answer
is checked: never a 5xx, a status the schema documents, the content type and the
body as the schema says.

Not collected by the default ``pytest`` run (its name does not start with
``test_``): ``make fuzz`` runs it, and ``.ci/run`` runs ``make fuzz`` after
``make test``.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from .world import build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="session")
def world(django_db_setup, django_db_blocker):
    """Built once for the run (``make fuzz`` runs this module alone); each example's
    own writes are rolled back with its test."""
    with django_db_blocker.unblock():
        return build_world()


@pytest.fixture(autouse=True)
def _db(db):
    """Each example runs inside the test's transaction: the WSGI handler must not
    close the connection after a request, as Django's test client arranges too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def platform_key(world):
    return {"Authorization": f"Api-Key {world.keys['key_a']}"}


@pytest.fixture
def staff_token(world):
    token, _ = Token.objects.get_or_create(user=world.people["supervisor"])
    return {"Authorization": f"Token {token.key}"}


# Loaded when the module is collected: the schema view reads no data. The examples of
# the schema and generated data (valid and invalid) are run; the unbounded coverage
# phase is left out to keep the run within minutes.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@BOUNDED
def test_api_as_a_platform(case, platform_key):
    with transaction.atomic():  # each example's writes in a savepoint of their own
        case.call_and_validate(headers=platform_key, checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_api_as_staff(case, staff_token):
    with transaction.atomic():
        case.call_and_validate(headers=staff_token, checks=CHECKS)
