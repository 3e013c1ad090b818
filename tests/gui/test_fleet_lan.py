"""The Fleet screen and the "found on the LAN" list: rows, live states, opening a device."""

from __future__ import annotations

from pathlib import Path

from edgegui.core.fleet import FleetEvent
from edgegui.core.lan import FoundDevice


def test_found_devices_fill_the_devices_screen_and_open_on_activation(qtbot, window):
    panel = window.lan
    pi = FoundDevice("10.0.0.5", name="pos-17", services=("_edgegui._tcp",),
                     mac="dc:a6:32:11:22:33", vendor="Raspberry Pi Trading Ltd",
                     sources=("mdns",))  # fmt: skip
    swept = FoundDevice("10.0.0.9", port=2222, banner="SSH-2.0-OpenSSH_9.2p1",
                        sources=("sweep",))  # fmt: skip
    with qtbot.waitSignal(panel.found_changed) as changed:
        panel.set_found([swept, pi])
    assert changed.args == [2]
    cells = [[panel.table.item(r, c).text() for c in range(5)] for r in range(2)]
    assert cells[0][:4] == ["10.0.0.5", "pos-17 (EdgeGUI)", "Raspberry Pi Trading Ltd", "mdns"]
    assert cells[1][0] == "10.0.0.9:2222" and cells[1][4] == "SSH-2.0-OpenSSH_9.2p1"
    panel.set_found([FoundDevice("10.0.0.5", banner="SSH-2.0-dropbear", sources=("sweep",))])
    assert panel.table.rowCount() == 2 and panel.table.item(0, 3).text() == "mdns, sweep"
    panel.table.cellActivated.emit(1, 0)
    assert window.screens.currentWidget() is window.connect_screen


def test_a_bad_subnet_is_one_line_in_the_error_hook(qtbot, window):
    panel = window.lan
    panel.subnet.setText("10.0.0.0/8")
    panel.sweep_button.click()
    qtbot.waitUntil(lambda: bool(window.errors.shown), timeout=10_000)
    assert "at most a /16" in window.errors.shown[0]
    qtbot.waitUntil(lambda: panel.sweep_button.isEnabled(), timeout=10_000)


def test_fleet_rows_follow_core_events(qtbot, window, tmp_path: Path):
    csv = tmp_path / "stores.csv"
    csv.write_text("target,name,site\nssh://tech@10.0.0.5,pos-17,Store 17\n"
                   "ssh://tech@10.0.0.6,pos-18,Store 18\n")  # fmt: skip
    fleet = window.fleet
    window.screens.setCurrentWidget(fleet)
    with qtbot.waitSignal(fleet.devices_loaded, timeout=10_000) as loaded:
        window.ctx.runner.spawn(fleet.load_devices(csv))
    assert loaded.args == [2]
    assert [fleet.table.item(1, c).text() for c in range(3)] == [
        "pos-18", "ssh://tech@10.0.0.6", "Store 18",
    ]  # fmt: skip
    bridge = window.ctx.bridge
    bridge.progress.emit("fleet", FleetEvent("pos-18", "sending", done=1_500_000, total=3_000_000))
    qtbot.waitUntil(lambda: fleet.table.item(1, 3).text() == "sending", timeout=5_000)
    assert fleet.table.item(1, 4).text() == "1.5/3.0 MB"
    assert fleet.table.item(0, 3).text() == "—"
