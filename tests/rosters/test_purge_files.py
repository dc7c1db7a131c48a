"""Roster files stored as uploaded before rosters stopped keeping them (ID numbers
in clear) are deleted by ``purge_roster_files``; the rosters and rows stay."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from portal.models import AuditEvent
from registry.models import Roster
from registry.rosters.services import roster_file
from tests.rosters.conftest import operator_row

pytestmark = pytest.mark.django_db

NUMBER = "110105194912310021"


def _old_roster(platforms) -> Roster:
    roster = roster_file(
        platform=platforms.a,
        year=2026,
        half=1,
        rows=[operator_row()],
        channel="api",
        actor=platforms.officer_a,
    )
    roster.original_name = "名单.csv"
    roster.file.save("old.csv", ContentFile(f"name,id_number\n张伟,{NUMBER}\n".encode()))
    return roster


def test_the_old_files_are_deleted_and_the_rosters_kept(
    platforms, capsys, django_capture_on_commit_callbacks
):
    roster = _old_roster(platforms)
    name, rows = roster.file.name, roster.rows.count()
    assert default_storage.exists(name)

    call_command("purge_roster_files", "--dry-run")
    assert "1 roster files would be deleted" in capsys.readouterr().out
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_roster_files")
    roster.refresh_from_db()
    assert not default_storage.exists(name)
    assert (roster.file.name, roster.original_name, roster.rows.count()) == ("", "名单.csv", rows)
    assert AuditEvent.objects.filter(action="roster.file_purged", object_id=roster.pk).exists()

    call_command("purge_roster_files")  # again: nothing left to do
    assert "0 roster files deleted" in capsys.readouterr().out.splitlines()[-1]
