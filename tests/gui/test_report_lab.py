"""The Report screen and the "Pin SSH host keys" action against a lab device running the
retail stack (deployed through the CLI first)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from tests.core.report.conftest import TOKEN, RetailSite, retail_lab
from tests.gui.conftest import fill_ssh
from tests.gui.test_serial_lab import fill_serial

pytestmark = [pytest.mark.lab, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RetailSite]:
    with retail_lab(tmp_path_factory.mktemp("data")) as running:
        yield running


def test_report_screen_writes_pdf_html_and_json(qtbot, window, site, tmp_path: Path):
    device = site.device
    window.ctx.known_hosts.write_text(device.known_hosts.read_text())
    fill_ssh(window, device)
    with qtbot.waitSignal(window.connect_screen.connected, timeout=30_000):
        window.connect_screen.connect_button.click()
    reports = window.reports
    window.screens.setCurrentWidget(reports)
    assert reports.report_button.isEnabled() and reports.notes.text() == ""
    reports.fields["technician"].setText("Robin Field")
    reports.fields["site"].setText("Store 17")
    reports.fields["customer"].setText("ACME Retail")
    reports.fields["stack"].setText("retail")
    for suffix in ("pdf", "html", "json"):
        out = tmp_path / f"handover.{suffix}"
        with qtbot.waitSignal(reports.report_written, timeout=120_000) as written:
            window.ctx.runner.spawn(reports.write_report_now(out), busy=[reports.report_button])
        assert written.args == [str(out)] and out.stat().st_size > 0
        assert TOKEN.encode() not in out.read_bytes()
    assert window.errors.shown == []
    assert reports.result.text() == f"Saved {tmp_path / 'handover.json'}"
    preview = reports.preview.toPlainText()
    assert "Robin Field" in preview and "Container retail-pos-service-1" in preview
    data = json.loads((tmp_path / "handover.json").read_text())
    assert (data["technician"], data["site"]) == ("Robin Field", "Store 17")
    assert [s["name"] for s in data["stacks"]] == ["retail"]
    assert (tmp_path / "handover.pdf").read_bytes().startswith(b"%PDF-")
    assert window.ctx.store.preference("report.technician") == "Robin Field"


def test_pin_ssh_host_keys_after_a_serial_session(qtbot, window, site):
    device = site.device
    pinning = window.connect_screen.pinning
    assert pinning.isHidden()  # only for a serial session
    fill_serial(window, device, device.password)
    with qtbot.waitSignal(window.connect_screen.connected, timeout=60_000):
        window.connect_screen.connect_button.click()
    assert not pinning.isHidden()
    with qtbot.waitSignal(pinning.planned, timeout=60_000) as planned:
        pinning.button.click()
    plan = planned.args[0]
    dialog = pinning.dialog
    shown = dialog.findChild(QLabel, "pinFingerprints").text()
    assert all(fp in shown for _, fp in plan.fingerprints) and "ssh-ed25519" in shown
    assert dialog.chosen_hosts() == [device.ip]
    with qtbot.waitSignal(pinning.pinned, timeout=60_000) as pinned:
        dialog.accept()
    assert pinned.args[0] == len(plan.fingerprints)
    assert device.ip in window.ctx.known_hosts.read_text()
    assert window.errors.shown == []
