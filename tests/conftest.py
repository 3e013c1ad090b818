"""Test-wide settings: offscreen Qt, and the device lab as fixtures."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The user data folder (audit log, known_hosts, device store) is a temporary one for the
# whole run: no test may write into the real one. Tests wanting their own set it again.
_DATA_HOME = tempfile.mkdtemp(prefix="edgegui-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME

from tests.lab import Lab, LabDevice, lab_unavailable_reason  # noqa: E402

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


def start_lab(hardware: list[str | None]) -> Lab:
    if _LAB_SKIP:
        pytest.skip(_LAB_SKIP)
    return Lab(hardware).start()


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
