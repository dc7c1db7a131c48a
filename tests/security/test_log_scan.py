"""The log scan (tests/log_scan.py) cannot pass vacuously: a run whose logs carry a
generated identity number fails and names the test and the masked number; the same
run with the identity mask in place passes."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LEAKY_TESTS = '''
import logging
from datetime import date

from demo.data import demo_ric, demo_uscc


def without_the_mask(monkeypatch):
    """What a regression would do: a handler that writes numbers as they are."""
    for handler in logging.getLogger().handlers:
        if type(handler).__module__.startswith(("_pytest", "tests.")):
            continue
        monkeypatch.setattr(handler, "filters", [])
        monkeypatch.setattr(handler, "formatter", logging.Formatter("%(message)s"))


def test_masked():
    number = demo_ric("330106", date(1990, 5, 17), 41)
    logging.getLogger("complaints.intake").warning("checked %s", number)


def test_leaks_at_debug(monkeypatch):
    without_the_mask(monkeypatch)
    number = demo_ric("330106", date(1990, 5, 17), 42)
    logging.getLogger("complaints.intake.rows").debug("row for %s", number)


def test_leaks_in_a_traceback(monkeypatch):
    without_the_mask(monkeypatch)
    code = demo_uscc("330106", 4242)
    try:
        raise ValueError(f"no operator {code}")
    except ValueError:
        logging.getLogger("registry.rosters").exception("roster failed")
'''


def run_inner(tmp_path, *args):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.log_scan"]\n')
    (tmp_path / "test_leaky.py").write_text(LEAKY_TESTS)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "LOG_SCAN": "1",
    }
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_leaky.py"),
            *("--basetemp", str(tmp_path / "basetemp"), *args),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_generated_number_in_the_logs_fails_the_run(tmp_path):
    from datetime import date

    from demo.data import demo_ric, demo_uscc

    ric = demo_ric("330106", date(1990, 5, 17), 42)
    uscc = demo_uscc("330106", 4242)

    result = run_inner(tmp_path)

    assert "3 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1, result.stdout
    report = result.stdout.split("log scan:", 1)[1]
    assert "2 log line(s) carry a generated identity number" in report
    assert f"test_leaky.py::test_leaks_at_debug: {ric[:6]}********{ric[-4:]}" in report
    assert f"test_leaky.py::test_leaks_in_a_traceback: {uscc[:8]}********{uscc[-2:]}" in report
    assert "test_masked" not in report
    assert ric not in result.stdout and uscc not in result.stdout
    # The file itself holds them, headed by their test.
    log = (tmp_path / "basetemp" / "log-scan" / "run.log").read_text()
    assert f"test_leaky.py::test_leaks_at_debug\trow for {ric}" in log


def test_the_same_run_with_the_mask_in_place_passes(tmp_path):
    result = run_inner(tmp_path, "-k", "masked")

    assert "1 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout
    assert "none in the logs" in result.stdout
