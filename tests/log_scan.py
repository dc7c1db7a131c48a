"""A pytest plugin (registered in tests/conftest.py): no identity number in the logs
of a whole test run: the logs of a full run are scanned for every generated ID
number.

* Every resident ID number (GB 11643) and unified social credit code (GB 32100)
  that the run makes is recorded: the generators behind the factories and
  fixtures (``demo.data.demo_ric`` / ``demo_uscc``) are wrapped, and the valid
  numbers written out in the tests' sources are added at collection.
* For the whole session a handler on the root logger writes, for every record,
  what the configured handlers (``settings.LOGGING``: filters, identity mask,
  formatter, traceback) write for it, to ``<basetemp>/log-scan/run.log``, each line
  headed by the test that was running. The portal's own loggers log at DEBUG
  meanwhile; the console still shows only what it showed before.
  ``LOG_SCAN_SQL=1`` adds Django's SQL log (``django.db.backends`` at DEBUG).
* At the end the file is scanned for every recorded number; any hit fails the
  session (exit status 1) and names the test, the line and the masked number.
"""

import logging
import os
import re
import sys
import tempfile
from pathlib import Path

import pytest
from stdnum.cn import ric, uscc

PORTAL_LOGGERS = ("accounts", "blacklist", "complaints", "inspections", "portal", "registry")
_RUN = re.compile(r"[0-9A-Za-z]{18,}")
MAX_REPORTED = 20


def mask(number: str) -> str:
    if number.isdigit() or number[:-1].isdigit():  # a resident ID number
        return f"{number[:6]}********{number[-4:]}"
    return f"{number[:8]}********{number[-2:]}"


class _ConsoleGate(logging.Filter):
    """On the configured handlers: pass what they passed before the plugin raised
    the portal's loggers to DEBUG (a record at least at the root's level)."""

    def filter(self, record):
        if record.name.split(".", 1)[0] in PORTAL_LOGGERS:
            return record.levelno >= logging.getLogger().getEffectiveLevel()
        return True


class _ScanHandler(logging.Handler):
    def __init__(self, plugin):
        super().__init__(logging.NOTSET)
        self.plugin = plugin
        self.fallback = logging.Formatter("%(levelname)s %(name)s %(message)s")

    def _targets(self):
        return [
            h
            for h in logging.getLogger().handlers
            if h is not self and not type(h).__module__.startswith("_pytest")
        ]

    def emit(self, record):
        try:
            outputs = []
            targets = self._targets()
            for handler in targets:
                passed = True
                for f in handler.filters:
                    if f is self.plugin.gate:
                        continue
                    if not (f.filter(record) if hasattr(f, "filter") else f(record)):
                        passed = False
                        break
                if passed:
                    outputs.append(handler.format(record))
            if not targets:
                outputs.append(self.fallback.format(record))
            if outputs:
                text = " ¦ ".join(outputs).replace("\r", "\\r").replace("\n", "\\n")
                self.plugin.stream.write(f"{self.plugin.current}\t{text}\n")
        except Exception:
            self.handleError(record)


class LogScan:
    def __init__(self, config):
        self.config = config
        self.numbers: set[str] = set()
        self.current = "(outside a test)"
        self.gate = _ConsoleGate()
        self.handler = _ScanHandler(self)
        self.sql = os.environ.get("LOG_SCAN_SQL") == "1"
        self._restore = []
        self.path = None
        self.stream = None

    # --- recording the numbers the run makes ---------------------------------

    def _wrap_generator(self, name):
        """``demo.data.<name>`` records what it returns, also where a module
        imported it by name before the session started (tests.factories)."""
        from demo import data as demo

        original = getattr(demo, name)
        numbers = self.numbers

        def recording(*args, **kwargs):
            number = original(*args, **kwargs)
            numbers.add(number.upper())
            return number

        recording.__wrapped__ = original
        holders = [demo] + [
            module
            for module in list(sys.modules.values())
            if module is not None and vars(module).get(name) is original
        ]
        for module in holders:
            setattr(module, name, recording)
            self._restore.append(lambda m=module: setattr(m, name, original))

    def _record_typed_numbers(self, paths):
        """Numbers written out in the tests' sources (valid ones only)."""
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            for run in _RUN.finditer(text):
                value = run.group(0).upper()
                if len(value) == 18 and (ric.is_valid(value) or uscc.is_valid(value)):
                    self.numbers.add(value)

    # --- the session ------------------------------------------------------------

    def _attach(self):
        root = logging.getLogger()
        if self.handler not in root.handlers:
            root.addHandler(self.handler)
        for handler in self.handler._targets():
            if self.gate not in handler.filters:
                handler.addFilter(self.gate)
        for name in PORTAL_LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        if self.sql:
            logging.getLogger("django.db.backends").setLevel(logging.DEBUG)
            from django.db import connections

            for connection in connections.all():
                connection.force_debug_cursor = True

    def pytest_sessionstart(self, session):
        factory = getattr(self.config, "_tmp_path_factory", None)
        folder = (
            factory.getbasetemp() / "log-scan" if factory else Path(tempfile.mkdtemp("log-scan"))
        )
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "run.log"
        self.stream = self.path.open("w", encoding="utf-8")
        self._wrap_generator("demo_ric")
        self._wrap_generator("demo_uscc")
        levels = {
            name: logging.getLogger(name).level for name in (*PORTAL_LOGGERS, "django.db.backends")
        }
        self._restore.append(
            lambda: [logging.getLogger(n).setLevel(level) for n, level in levels.items()]
        )
        self._attach()

    def pytest_collection_finish(self, session):
        paths = {Path(str(item.path)) for item in session.items}
        tests = self.config.rootpath / "tests"
        if tests.is_dir():
            paths |= set(tests.rglob("*.py"))
        self._record_typed_numbers(sorted(paths))

    def pytest_runtest_logstart(self, nodeid, location):
        self.current = nodeid
        self._attach()  # again, should a test have configured logging afresh

    def pytest_runtest_logfinish(self, nodeid, location):
        self.current = "(between tests)"

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if self.stream is None:
            return
        root = logging.getLogger()
        root.removeHandler(self.handler)
        for handler in root.handlers:
            handler.removeFilter(self.gate)
        for undo in reversed(self._restore):
            undo()
        self.stream.close()
        hits = self.scan()
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")

        def write(text, **markup):
            if reporter:
                reporter.write_line(text, **markup)
            else:
                print(text)

        if reporter:
            reporter.write_line("")  # after the progress line
        if not hits:
            write(
                f"log scan: {len(self.numbers)} generated identity numbers, none in the logs "
                f"({self.path})"
            )
            return
        write(
            f"log scan: {len(hits)} log line(s) carry a generated identity number ({self.path}):",
            red=True,
        )
        for test, numbers, line in hits[:MAX_REPORTED]:
            shown = ", ".join(mask(n) for n in sorted(numbers))
            write(f"  {test}: {shown} in: {line[:300]}", red=True)
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def scan(self) -> list[tuple[str, set[str], str]]:
        """(test, numbers found, the line with them masked) for each line with any."""
        hits = []
        numbers = self.numbers
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                test, _, text = line.rstrip("\n").partition("\t")
                found = set()
                for run in _RUN.finditer(text):
                    value = run.group(0).upper()
                    for at in range(len(value) - 17):
                        if value[at : at + 18] in numbers:
                            found.add(value[at : at + 18])
                if found:
                    for number in found:
                        text = re.sub(re.escape(number), mask(number), text, flags=re.IGNORECASE)
                    hits.append((test, found, text))
        return hits


def pytest_configure(config):
    if os.environ.get("LOG_SCAN") != "0":
        config.pluginmanager.register(LogScan(config), "log-scan")
