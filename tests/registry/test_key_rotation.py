"""Rotating the identity encryption key: the old key stays readable as a fallback
while `reseal_identity_numbers` moves every number to the new one."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from portal.identity import decrypt_identity, sealed_under_current_key
from registry.models import Marketer
from tests.factories import (
    LiveRoomFactory,
    MarketerFactory,
    OperatorFactory,
    PlatformFactory,
    UserFactory,
)

RIC = "11010519491231002X"


@pytest.fixture
def rotated(db, settings):
    """A marketer sealed under the old key, then the key rotated: the old key is
    the fallback."""
    old = settings.IDENTITY_ENCRYPTION_KEY
    marketer = MarketerFactory(id_number=RIC)
    settings.IDENTITY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.IDENTITY_ENCRYPTION_KEY_FALLBACKS = [old]
    return marketer


def test_numbers_sealed_under_the_old_key_are_read_through_the_fallback(rotated):
    stored = Marketer.objects.get(pk=rotated.pk)
    assert not sealed_under_current_key(stored.id_number_encrypted)
    assert decrypt_identity(stored.id_number_encrypted) == RIC


def test_the_command_reseals_every_number_and_a_second_run_changes_nothing(rotated, settings):
    first, second = _run(), _run()

    settings.IDENTITY_ENCRYPTION_KEY_FALLBACKS = []  # the old key retired
    stored = Marketer.objects.get(pk=rotated.pk)
    assert decrypt_identity(stored.id_number_encrypted) == RIC
    assert "registry.Marketer: 1" in first
    assert "registry.Marketer: 0" in second


def test_a_dry_run_counts_and_changes_nothing(rotated):
    before = Marketer.objects.get(pk=rotated.pk).id_number_encrypted
    lines = _run("--dry-run")
    assert "registry.Marketer: 1" in lines
    assert Marketer.objects.get(pk=rotated.pk).id_number_encrypted == before


def test_a_supervisor_reveals_a_number_sealed_under_the_old_key(
    client, settings, departments, regions
):
    old = settings.IDENTITY_ENCRYPTION_KEY
    room = LiveRoomFactory(
        platform=PlatformFactory(domicile=regions["xihu"]),
        operator=OperatorFactory(business_region=regions["xihu"]),
    )
    marketer = MarketerFactory(id_number=RIC)
    room.marketers.add(marketer)
    settings.IDENTITY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.IDENTITY_ENCRYPTION_KEY_FALLBACKS = [old]

    client.force_login(UserFactory(department=departments["xihu_market"], role=Role.SUPERVISOR))
    page = client.post(reverse("registry:marketer", args=[marketer.pk]), {"purpose": "案件核查"})

    assert RIC in page.text


def _run(*args) -> list[str]:
    out = io.StringIO()
    call_command("reseal_identity_numbers", *args, stdout=out)
    return out.getvalue().splitlines()
