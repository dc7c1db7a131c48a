"""The complaints fixtures (``world``, ``file_case``), shared with these tests."""

import pytest

from tests.complaints.conftest import file_case, world  # noqa: F401


@pytest.fixture
def client(client):
    """Pages in English, so the tests read the source strings."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
