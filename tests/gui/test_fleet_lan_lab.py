"""The Fleet screen commissions two lab devices; the LAN list sweeps a lab subnet."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import start_lab
from tests.core.deploy.conftest import TEMPLATE, web_bundle
from tests.lab.flags import DeviceFlags

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def test_fleet_screen_deploys_to_every_device(qtbot, window, tmp_path: Path):
    lab = start_lab([None, None])
    try:
        csv = tmp_path / "line.csv"
        csv.write_text("target,name,identity,known_hosts\n" + "".join(
            f"{d.ssh_target},{d.name},{d.key_path},{d.known_hosts}\n" for d in lab.devices
        ))  # fmt: skip
        fleet = window.fleet
        window.screens.setCurrentWidget(fleet)
        with qtbot.waitSignal(fleet.devices_loaded, timeout=10_000):
            window.ctx.runner.spawn(fleet.load_devices(csv))
        fleet.bundle.setText(str(web_bundle(tmp_path)))
        with qtbot.waitSignal(fleet.finished, timeout=240_000) as finished:
            window.ctx.runner.spawn(fleet.deploy_now(str(TEMPLATE)))
        summary = finished.args[0]
        assert [o.result for o in summary.outcomes] == ["deployed", "deployed"]
        assert [fleet.table.item(r, 3).text() for r in range(2)] == ["deployed", "deployed"]
        assert fleet.table.item(0, 7).text().endswith("edge1.html")
        assert "2 devices, 0 failed" in fleet.summary.text()
        assert window.errors.shown == []
    finally:
        lab.stop()


def test_the_lan_list_sweeps_a_subnet(qtbot, window):
    lab = start_lab([None], [DeviceFlags(dockerd=False)], shared_link=True)
    try:
        panel = window.lan
        with qtbot.waitSignal(panel.found_changed, timeout=60_000):
            window.ctx.runner.spawn(panel.sweep_now(lab.subnet))
        rows = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
        assert lab.devices[0].ip in rows
        assert "SSH servers among 254 addresses" in panel.status.text()
    finally:
        lab.stop()
