"""A field link: 1 Mbit/s towards the device, 200 ms each way and 2 % loss (netem where the
kernel has it; otherwise the rate and the loss, and the missing delay is printed). An update
still converges with rate and ETA shown, status and logs still answer, and a dead link is
still reported within 15 s."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.run import edgegui
from tests.conftest import one_device
from tests.core.deploy.conftest import TEMPLATE, web_bundle
from tests.core.deploy.images import filler_layer
from tests.lab import LabDevice

pytestmark = [pytest.mark.lab, pytest.mark.slow]
OLD, NEW = "edgegui-test/field:1", "edgegui-test/field:2"


@pytest.fixture(scope="module")
def field_device() -> Iterator[LabDevice]:
    with one_device() as device:
        yield device


def ssh(device: LabDevice) -> list[str]:
    return device.ssh_cli


def deploy(device: LabDevice, bundle: Path, image: str):  # type: ignore[no-untyped-def]
    return edgegui(
        "deploy", *ssh(device), "--template", str(TEMPLATE), "--bundle", str(bundle),
        "--stack", "field", "--set", f"WEB_IMAGE={image}", "--set", f"WORKER_IMAGE={image}",
        timeout=600,
    )  # fmt: skip


def test_update_status_logs_and_dead_link_on_a_field_link(field_device, tmp_path, capsys):
    device = field_device
    first = deploy(device, web_bundle(tmp_path, OLD), OLD)
    assert first.returncode == 0, first.stderr
    update = web_bundle(tmp_path, NEW, (filler_layer(256 * 1024, "update"),))
    missing = device.shape_link(mbit=1, delay_ms=200, loss_pct=2)
    try:
        started = time.monotonic()
        result = deploy(device, update, NEW)
        took = time.monotonic() - started
        assert result.returncode == 0, result.stderr
        transfer = [line for line in result.stderr.splitlines() if line.startswith("transfer")]
        assert any("MB/s" in line and "ETA" in line for line in transfer), result.stderr
        status = edgegui("status", *ssh(device), "--json", timeout=120)
        assert status.returncode == 0, status.stderr
        logs = edgegui("logs", *ssh(device), "field-worker-1", "--tail", "5", timeout=120)
        assert logs.returncode == 0, logs.stderr
        with capsys.disabled():
            print(f"\n[field link] update over 1 Mbit/s took {took:.1f} s; {missing or 'netem'}")
        running = subprocess.Popen(
            [sys.executable, "-m", "edgegui", "exec", *ssh(device), "--", "sleep", "120"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(2)
        device.cut_link()
        cut = time.monotonic()
        _, err = running.communicate(timeout=60)
        elapsed = time.monotonic() - cut
    finally:
        device.restore_link()
        device.clear_shaping()
    assert running.returncode != 0 and "link lost" in err, err
    assert "internal error" not in err and err.count("\n") == 1, err
    assert elapsed < 15, f"dead link took {elapsed:.1f} s to report"
