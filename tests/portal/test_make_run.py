"""`make run PORT=…` serves the demo on that port, and the demo's email links follow it."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_demo_port_reaches_the_email_links():
    plan = subprocess.run(
        ["make", "-n", "-B", "run", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "runserver 127.0.0.1:8123" in plan
    assert "PORTAL_BASE_URL=http://127.0.0.1:8123" in plan
