"""Drive the real window through every main screen against a device and save screenshots.

Run by tests/gui/test_screenshots_lab.py under Xvfb (QT_QPA_PLATFORM=xcb)::

    python -m tests.gui.screenshots OUT_DIR ssh://tech@IP --identity KEY --known-hosts FILE
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from edgegui.gui.loop import close_loop, install_loop
from edgegui.gui.main_window import MainWindow
from edgegui.gui.store import DeviceStore, SavedDevice

SIZE = (1366, 768)


def save(widget: QWidget, out: Path, name: str) -> None:
    widget.resize(*SIZE)  # a screen whose minimum is wider keeps its width: the test sees it
    QApplication.processEvents()
    widget.grab().save(str(out / f"{name}.png"))


async def settle(seconds: float = 0.3) -> None:
    await asyncio.sleep(seconds)  # let Qt lay out and paint before the grab


async def tour(window: MainWindow, args: argparse.Namespace, out: Path) -> None:
    screens = window.screens
    screens.setCurrentWidget(window.connect_screen)
    window.connect_screen.set_target(args.target)
    window.connect_screen.ssh.identity.setText(args.identity)
    await settle()
    save(window, out, "02-connect")
    await window.connect_screen.connect_now()
    await window.hardware.discover_now()
    window.reload_devices(select=args.target)
    screens.setCurrentWidget(window.devices_screen)
    await settle()
    save(window, out, "01-devices")
    screens.setCurrentWidget(window.hardware)
    await settle()
    save(window, out, "03-hardware")

    wizard = window.wizard
    screens.setCurrentWidget(wizard)
    await wizard.ensure_templates()
    wizard.choose.select("retail")
    await settle()
    save(window, out, "04-commission-industry")
    await wizard.next_step()
    wizard.params.fields["SCANNER_GID"].set_value("abc")
    wizard.params.fields["CLOUD_API_TOKEN"].set_value("token-for-the-screenshot")
    await settle()
    save(window, out, "05-commission-settings")
    wizard.params.fields["SCANNER_GID"].set_value("0")
    await wizard.next_step()
    wizard.bind.choose("scanner", "Datalogic")
    await settle()
    save(window, out, "06-commission-hardware")
    await wizard.next_step()
    await settle()
    save(window, out, "07-commission-review")
    await wizard.next_step()
    await wizard.deploy_now()
    await settle()
    save(window, out, "08-commission-deploy")

    monitor = window.monitor
    screens.setCurrentWidget(monitor)
    for _ in range(4):
        await monitor.containers.refresh_now()
        await asyncio.sleep(0.5)
    await settle()
    save(window, out, "09-monitor-containers")
    monitor.tabs.setCurrentWidget(monitor.terminal)
    monitor.terminal.start_shell()
    for _ in range(50):
        if monitor.terminal.session is not None:
            break
        await asyncio.sleep(0.1)
    monitor.terminal.view.typed.emit(b"uname -sr; docker ps --format '{{.Names}} {{.Status}}'\r")
    await settle(2.0)
    save(window, out, "10-monitor-terminal")
    monitor.terminal.stop_shell()
    screens.setCurrentWidget(window.reports)
    reports = window.reports
    for name, text in (
        ("technician", "Robin Field"),
        ("site", "Store 17"),
        ("customer", "ACME Retail"),
    ):
        reports.fields[name].setText(text)
    await reports.write_report_now(Path(tempfile.mkdtemp()) / "handover.pdf")
    await settle()
    save(window, out, "11-report")

    window.dark_action.setChecked(True)
    window.large_action.setChecked(True)
    screens.setCurrentWidget(window.hardware)
    await settle()
    save(window, out, "12-dark-large-controls")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("target")
    parser.add_argument("--identity", required=True)
    parser.add_argument("--known-hosts", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    loop = install_loop(app)
    store = DeviceStore(args.store)
    store.save_device(
        SavedDevice("serial:///dev/ttyUSB0?baud=115200", "till 2 console", None, "tech")
    )
    store.save_device(SavedDevice("ssh://tech@10.20.0.14", "line-3 gateway", None, "tech"))
    store.record("ssh://tech@10.20.0.14", "deploy", "industrial: healthy")
    window = MainWindow(store=store, known_hosts=args.known_hosts, auto_discover=False)
    window.apply_preferences()
    window.resize(*SIZE)
    window.show()
    try:
        loop.run_until_complete(tour(window, args, args.out))
    finally:
        window.shutdown()
        close_loop(loop)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
