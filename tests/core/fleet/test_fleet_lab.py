"""``edgegui fleet deploy|status`` on three lab devices: bounded concurrency, one bundle read
once, a report per device, a failed device that a rerun retries while the others are
skipped, and the avahi announcement where the device has avahi."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from edgegui.core.bundle import BundleReader
from tests.cli.run import edgegui
from tests.conftest import start_lab
from tests.core.deploy.conftest import TEMPLATE, web_bundle
from tests.lab import Lab, LabDevice

pytestmark = [pytest.mark.lab, pytest.mark.slow]


@pytest.fixture(scope="module")
def fleet() -> Iterator[Lab]:
    lab = start_lab([None, None, None])
    try:
        lab.devices[0].exec(["mkdir", "-p", "/etc/avahi/services"])  # avahi installed
        lab.devices[0].exec(["chmod", "777", "/etc/avahi/services"])
        yield lab
    finally:
        lab.stop()


def devices_csv(path: Path, devices: list[LabDevice], broken: str = "") -> Path:
    rows = ["target,name,site,identity,known_hosts,MESSAGE,HEALTH_PAGE"]
    for device in devices:
        page = "missing.html" if device.name == broken else ""
        rows.append(
            f"{device.ssh_target},{device.name},Plant {device.index},{device.key_path},"
            f"{device.known_hosts},msg-{device.index},{page}"
        )
    path.write_text("\n".join(rows) + "\n")
    return path


def fleet_deploy(csv: Path, bundle: Path, *extra: str):  # type: ignore[no-untyped-def]
    return edgegui("fleet", "deploy", "--devices", str(csv), "--template", str(TEMPLATE),
                   "--bundle", str(bundle), "--parallel", "3", "--health-timeout", "20",
                   *extra, timeout=600)  # fmt: skip


def test_fleet_deploy_reports_retries_and_skips(fleet: Lab, tmp_path: Path) -> None:
    devices = fleet.devices
    bundle = web_bundle(tmp_path)
    csv = devices_csv(tmp_path / "plant.csv", devices, broken="edge3")

    first = fleet_deploy(csv, bundle, "--json")
    assert first.returncode == 1, first.stderr
    summary = json.loads(first.stdout)
    results = {d["name"]: d for d in summary["devices"]}
    assert {n: d["result"] for n, d in results.items()} == {
        "edge1": "deployed", "edge2": "deployed", "edge3": "failed",
    }  # fmt: skip
    assert "rolled back" in results["edge3"]["reason"] and results["edge3"]["report"] is None
    for name in ("edge1", "edge2"):
        assert results[name]["bytes_sent"] > 0
        report = Path(results[name]["report"])
        assert report == tmp_path / "plant-reports" / f"{name}.html"
        assert "deploytest" in report.read_text()
    for line in ("[edge1] connecting", "[edge2] sending", "[edge3] failed"):
        assert line in first.stderr
    # One bundle for three devices: every blob read from disk exactly once.
    with BundleReader(bundle) as reader:
        total = sum(size for _, size in reader.manifest.members.values())
    reads = summary["bundle_reads"]
    assert reads["bytes_read"] == total and reads["blobs_read_more_than_once"] == []
    # Avahi where present, a note where not.
    service = devices[0].exec(["cat", "/etc/avahi/services/edgegui.service"])
    assert "<type>_edgegui._tcp</type>" in service and "stack=deploytest" in service
    assert any("no avahi" in note for note in results["edge2"]["notes"])

    devices_csv(csv, devices)  # edge3 fixed: a rerun retries it and skips the others
    second = fleet_deploy(csv, bundle)
    assert second.returncode == 0, second.stderr
    table = second.stdout.splitlines()
    assert table[0].split() == ["DEVICE", "RESULT", "TIME", "SENT", "REPORT"]
    rows = {line.split()[0]: line.split() for line in table[1:4]}
    assert rows["edge1"][1] == "skipped" and rows["edge2"][1] == "skipped"
    assert rows["edge3"][1] == "deployed" and rows["edge3"][-1].endswith("edge3.html")
    assert "3 devices, 0 failed" in table[-1]

    status = edgegui("fleet", "status", "--devices", str(csv))
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert len(lines) == 3
    assert all("deploytest (" in line and "2/2 running" in line for line in lines)


def test_an_unknown_host_key_fails_that_device_only(fleet: Lab, tmp_path: Path) -> None:
    devices = fleet.devices
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    csv = tmp_path / "two.csv"
    csv.write_text(
        "target,name,identity,known_hosts\n"
        f"{devices[0].ssh_target},edge1,{devices[0].key_path},{devices[0].known_hosts}\n"
        f"{devices[1].ssh_target},edge2,{devices[1].key_path},{empty}\n"
    )
    status = edgegui("fleet", "status", "--devices", str(csv))
    assert status.returncode == 1
    first, second = status.stdout.splitlines()
    assert "deploytest" in first
    assert "unreachable" in second and "host key" in second.lower()
