"""Test-wide settings: offscreen Qt, and the device lab as fixtures."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The user data folder (audit log, known_hosts, device store) is a temporary one for the
# whole run: no test may write into the real one. Tests wanting their own set it again.
_DATA_HOME = tempfile.mkdtemp(prefix="edgegui-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME

from tests.lab import Lab, LabDevice, lab_unavailable_reason  # noqa: E402
from tests.lab.flags import DeviceFlags  # noqa: E402

_LAB_SKIP = lab_unavailable_reason()


def pytest_sessionfinish() -> None:
    shutil.rmtree(_DATA_HOME, ignore_errors=True)


def pytest_report_header() -> str:
    return f"device lab: {'unavailable: ' + _LAB_SKIP if _LAB_SKIP else 'available'}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if _LAB_SKIP:
        for item in items:
            if "lab" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=_LAB_SKIP))


def start_lab(
    hardware: list[str | None], flags: list[DeviceFlags] | None = None, shared_link: bool = False
) -> Lab:
    if _LAB_SKIP:
        pytest.skip(_LAB_SKIP)
    return Lab(hardware, flags=flags, shared_link=shared_link).start()


@contextmanager
def one_device(
    hardware: str | None = None, flags: DeviceFlags | None = None
) -> Iterator[LabDevice]:
    """A lab of one device (of these flags) for a module's tests; torn down after."""
    running = start_lab([hardware], None if flags is None else [flags])
    try:
        yield running.devices[0]
    finally:
        running.stop()


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    """A plain device shared by tests that do not change it."""
    running = start_lab([None])
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def device(lab: Lab) -> LabDevice:
    return lab.devices[0]


@pytest.fixture
def scratch_device() -> Iterator[LabDevice]:
    """A device of its own for a test that breaks it (host keys, links, ports)."""
    running = start_lab([None])
    try:
        yield running.devices[0]
    finally:
        running.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """A lab test whose output shows "internal error" fails: that message is always a bug."""
    outcome = yield
    report = outcome.get_result()
    if "lab" not in item.keywords or report.when != "call" or not report.passed:
        return
    captured = report.capstdout + report.capstderr + report.caplog
    if "internal error" in captured:
        line = next(text for text in captured.splitlines() if "internal error" in text)
        report.outcome = "failed"
        report.longrepr = f"an 'internal error' reached the user: {line.strip()}"
