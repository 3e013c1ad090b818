"""Drive the real window through every screen against a device and save screenshots, light
and dark, then check every page's layout at 1024×600 and 1366×768 with real content.

Run by tests/gui/test_screenshots_lab.py under Xvfb (QT_QPA_PLATFORM=xcb)::

    python -m tests.gui.screenshots OUT_DIR ssh://tech@IP --identity KEY --known-hosts FILE

Writes OUT_DIR/NN-page.png and OUT_DIR/NN-page-dark.png, and the layout problems found
(JSON) to --problems.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from edgegui.gui.loop import close_loop, install_loop
from edgegui.gui.main_window import MainWindow
from edgegui.gui.store import DeviceStore, SavedDevice
from edgegui.gui.tasks import blocking
from tests.gui.layout_checks import clipped_texts, missing_accessible_names
from tests.gui.pages import pages

SIZE = (1366, 768)
SMALL = (1024, 600)
# Screenshot name -> page (tests/gui/pages.py); the README shows them in this order.
SHOTS = {
    "01-connect": "connect-ssh",
    "02-overview": "overview",
    "03-overview-raw-inventory": "overview-raw",
    "04-commission-industry": "commission-industry",
    "05-commission-settings": "commission-settings",
    "06-commission-hardware": "commission-hardware",
    "07-commission-review": "commission-review",
    "08-commission-deploy": "commission-deploy",
    "09-monitor-containers": "monitor-containers",
    "10-monitor-logs": "monitor-logs",
    "11-monitor-terminal": "monitor-terminal",
    "12-report": "report",
}
TICKER = "scanner-ticker"
TICKER_RUN = [
    "docker",
    "run",
    "-d",
    "--name",
    TICKER,
    "ticker:latest",
    "sh",
    "-c",
    'i=0; while true; do i=$((i+1)); echo "$(date +%T) scan 4001234567$((i % 10)) ok";'
    ' [ $((i % 5)) = 0 ] && echo "$(date +%T) WARN sync retry $i"; sleep 0.3; done',
]
LARGE_SHOT = "15-large-controls-1024x600"  # 13 and 14: the report PDF (tests/core/report)


def save(widget: QWidget, out: Path, name: str) -> None:
    # No processEvents() here: called from a coroutine, a nested event pass would resume
    # other tasks inside this one ("Cannot enter into task"); settle() already let Qt paint.
    widget.grab().save(str(out / f"{name}.png"))


async def settle(seconds: float = 0.3) -> None:
    await asyncio.sleep(seconds)  # let Qt lay out and paint before the grab


async def drive(window: MainWindow, args: argparse.Namespace) -> None:
    """Connect, discover, commission, deploy, monitor and report: real content everywhere."""
    screens = window.screens
    screens.setCurrentWidget(window.connect_screen)
    window.connect_screen.set_target(args.target)
    window.connect_screen.ssh.identity.setText(args.identity)
    window.connect_screen.site.setText("Store 17")
    await window.connect_screen.connect_now()
    await window.overview.discover_now()
    await window.overview.load_details(window.ctx.session)
    window.reload_devices(select=args.target)

    wizard = window.wizard
    screens.setCurrentWidget(wizard)
    await wizard.ensure_templates()
    wizard.choose.select("retail")
    await wizard.next_step()
    wizard.params.fields["CLOUD_API_TOKEN"].set_value("token-for-the-screenshot")
    await wizard.next_step()
    wizard.bind.choose("scanner", "Datalogic")
    await wizard.next_step()
    await wizard.next_step()
    await wizard.deploy_now()
    await window.overview.details_task  # the overview's stacks, read again after the deploy

    # A container that writes lines, for the Logs page (the lab's stack is quiet).
    await blocking(window.ctx.session.transport.run, TICKER_RUN)
    monitor = window.monitor
    screens.setCurrentWidget(monitor)
    pane = monitor.containers
    await settle()
    await pane.charts_task  # pyqtgraph, loaded on first view
    for _ in range(6):
        await pane.refresh_now()
        await asyncio.sleep(1.0)
    logs = monitor.logs
    monitor.tabs.setCurrentWidget(logs)
    logs.container.setCurrentText(TICKER)
    logs.follow_button.setChecked(True)
    await asyncio.sleep(2.0)
    logs.follow_button.setChecked(False)
    monitor.tabs.setCurrentWidget(monitor.terminal)
    monitor.terminal.start_shell()
    for _ in range(50):
        if monitor.terminal.session is not None:
            break
        await asyncio.sleep(0.1)
    monitor.terminal.view.typed.emit(b"uname -sr; docker ps --format '{{.Names}} {{.Status}}'\r")
    await settle(2.0)

    reports = window.reports
    screens.setCurrentWidget(reports)
    for name, text in (
        ("technician", "Robin Field"),
        ("site", "Store 17"),
        ("customer", "ACME Retail"),
    ):
        reports.fields[name].setText(text)
    await reports.write_report_now(Path(tempfile.mkdtemp()) / "handover.pdf")


async def shoot(window: MainWindow, out: Path, suffix: str) -> None:
    by_name = pages(window)
    window.resize(*SIZE)
    for shot, page in SHOTS.items():
        by_name[page]()
        await settle()
        save(window, out, shot + suffix)


async def check_layouts(window: MainWindow) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for size in (SMALL, SIZE):
        window.resize(*size)
        for page, show in pages(window).items():
            show()
            await settle(0.1)
            found = clipped_texts(window) + missing_accessible_names(window)
            if window.size().width() != size[0] or window.size().height() != size[1]:
                found.append(f"window is {window.width()}x{window.height()}, not {size}")
            if found:
                problems[f"{page} {size[0]}x{size[1]}"] = found
    return problems


async def tour(window: MainWindow, args: argparse.Namespace, out: Path) -> None:
    """Drive, shoot light and dark, check every page's layout; problems go to args.problems."""
    await drive(window, args)
    await shoot(window, out, "")
    problems = await check_layouts(window)
    window.dark_action.setChecked(True)
    await shoot(window, out, "-dark")
    problems.update({f"dark {k}": v for k, v in (await check_layouts(window)).items()})
    window.dark_action.setChecked(False)
    window.large_action.setChecked(True)
    problems.update({f"large {k}": v for k, v in (await check_layouts(window)).items()})
    window.resize(*SMALL)
    pages(window)["overview"]()
    await settle()
    save(window, out, LARGE_SHOT)
    window.large_action.setChecked(False)
    args.problems.write_text(json.dumps(problems, indent=1))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("target")
    parser.add_argument("--identity", required=True)
    parser.add_argument("--known-hosts", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--problems", type=Path, required=True, help="layout problems (JSON)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    loop = install_loop(app)
    store = DeviceStore(args.store)
    store.save_device(
        SavedDevice(
            "serial:///dev/ttyUSB0?baud=115200", "till 2 console", None, "tech", site="Store 17"
        )
    )
    store.save_device(
        SavedDevice("ssh://tech@10.20.0.14", "line-3 gateway", None, "tech", site="Plant 2")
    )
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
