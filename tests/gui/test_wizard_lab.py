"""The commission wizard end to end against a retail lab device:
connect → discover → pick retail → bind the scanner → review (→ deploy once it exists)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import start_lab
from tests.gui.conftest import fill_ssh, show_wizard

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def retail_device() -> Iterator[object]:
    lab = start_lab(["retail"])
    try:
        yield lab.devices[0]
    finally:
        lab.stop()


def connect_and_discover(qtbot, window, device) -> None:
    (window.ctx.known_hosts).write_text(device.known_hosts.read_text())
    fill_ssh(window, device)
    with qtbot.waitSignal(window.connect_screen.connected, timeout=30_000):
        window.connect_screen.connect_button.click()
    with qtbot.waitSignal(window.overview.discovered, timeout=120_000):
        window.overview.discover_button.click()


def walk_to_review(qtbot, window) -> None:
    wizard = window.wizard
    show_wizard(qtbot, window)
    wizard.choose.select("retail")
    with qtbot.waitSignal(wizard.step_changed, timeout=10_000):
        wizard.next_button.click()
    fields = wizard.params.fields
    assert not wizard.next_button.isEnabled()  # the token is required
    fields["SCANNER_GID"].set_value("not a number")
    assert "must be an integer" in fields["SCANNER_GID"].message.text()
    fields["SCANNER_GID"].set_value("")  # read from the device: the bound scanner's group
    fields["CLOUD_API_TOKEN"].set_value("tok-" + "x" * 20)
    assert wizard.params.valid() and wizard.next_button.isEnabled()
    with qtbot.waitSignal(wizard.step_changed, timeout=10_000):
        wizard.next_button.click()
    chooser = wizard.bind.choosers["scanner"]
    labels = [chooser.itemText(i) for i in range(chooser.count())]
    assert len(labels) >= 3, labels  # automatic + the HID scanner + the CDC-ACM scanner
    wizard.bind.choose("scanner", "by-id")
    with qtbot.waitSignal(wizard.reviewed, timeout=30_000):
        wizard.next_button.click()


def walk_to_deploy_step(qtbot, window, device) -> None:
    """Images on the device (no registry in the lab), then connect … review → Deploy step."""
    from edgegui.gui import services
    from tests.lab.images import import_busybox_image

    if not services.available("deploy"):
        pytest.skip("edgegui.core.deploy.deploy_stack is not in this build yet")
    for tag in ("edgegui/pos-service:latest", "edgegui/inventory-sync:latest"):
        import_busybox_image(device, tag)
    connect_and_discover(qtbot, window, device)
    walk_to_review(qtbot, window)
    with qtbot.waitSignal(window.wizard.step_changed, timeout=10_000):
        window.wizard.next_button.click()


def test_wizard_reaches_review_with_the_bound_scanner(qtbot, window, retail_device):
    connect_and_discover(qtbot, window, retail_device)
    tree = window.overview.tree
    assert tree.topLevelItemCount() >= 5
    assert window.overview.preflight.lines.items  # one line per check
    assert window.overview.hardware.items  # the scanners, by name
    walk_to_review(qtbot, window)
    wizard = window.wizard
    scanner = wizard.bind.bindings()["scanner"]
    compose = wizard.review.compose.toPlainText()
    assert f"source: {scanner}\n      target: /dev/scanner" in compose
    assert "tok-" not in compose  # the secret goes to a secret file, never into the YAML
    assert wizard.review.diff.toPlainText()
    assert window.errors.shown == []


def test_wizard_deploys_retail_and_monitor_shows_it_running(qtbot, window, retail_device):
    walk_to_deploy_step(qtbot, window, retail_device)
    wizard = window.wizard
    assert wizard.deploy.deploy_button.isEnabled()
    with qtbot.waitSignal(wizard.deployed, timeout=300_000) as deployed:
        wizard.deploy.deploy_button.click()
    assert window.errors.shown == []
    assert deployed.args == [True], wizard.deploy.result.text()
    steps = wizard.deploy.steps
    assert steps.count() > 0 and set(steps.states) == {"done"}, steps.titles()
    assert steps.titles()[-1] == "Check health" and wizard.deploy.bar.value() == 1000
    states = {
        wizard.deploy.services.item(r, 0).text(): wizard.deploy.services.item(r, 1).text()
        for r in range(wizard.deploy.services.rowCount())
    }
    assert states == {"inventory-sync": "running", "pos-service": "running"}
    pane = window.monitor.containers
    with qtbot.waitSignal(pane.refreshed, timeout=60_000) as refreshed:
        pane.refresh_button.click()
    states = {c.name: c.state for c in refreshed.args[0].containers}
    for service in ("pos-service", "inventory-sync"):
        assert [s for n, s in states.items() if service in n] == ["running"], states


def test_event_loop_never_stalls_during_discovery_deploy_and_monitoring(
    qtbot, window, retail_device
):
    from edgegui.gui.stallmeter import StallMeter

    walk_to_deploy_step(qtbot, window, retail_device)
    wizard = window.wizard
    meter = StallMeter()
    meter.start()
    pane = window.monitor.containers
    pane.timer.setInterval(500)  # monitor hard while the rest runs
    refreshes = []
    pane.refreshed.connect(refreshes.append)
    with qtbot.waitSignals([wizard.deployed, window.overview.discovered], timeout=300_000):
        pane.auto.setChecked(True)
        window.overview.start_discovery()
        wizard.deploy.deploy_button.click()
    qtbot.waitUntil(lambda: len(refreshes) >= 3, timeout=60_000)
    pane.auto.setChecked(False)
    meter.stop()
    assert window.errors.shown == []
    assert meter.ticks > 100
    print(f"largest event-loop stall: {meter.largest_s * 1000:.1f} ms over {meter.ticks} ticks")
    assert meter.largest_s < 0.050, f"event loop stalled {meter.largest_s * 1000:.0f} ms"


def test_diagnostics_are_written_with_the_deployed_secret_redacted(
    qtbot, window, retail_device, tmp_path
):
    import tarfile

    from edgegui.gui import services

    if not (services.available("diagnostics") and services.available("deploy")):
        pytest.skip("edgegui.core.diagnose or deploy is not in this build yet")
    connect_and_discover(qtbot, window, retail_device)
    window.ctx.session.secret_values = ("tok-" + "x" * 20,)
    reports = window.reports
    assert reports.diagnostics_button.isEnabled()
    out = tmp_path / "diag.tar.gz"
    task = window.ctx.runner.spawn(
        reports.write_now("diagnostics", out, services.collect_diagnostics),
        busy=[reports.diagnostics_button],
    )
    qtbot.waitUntil(task.done, timeout=180_000)
    assert window.errors.shown == []
    assert reports.result.text() == f"Saved {out}"
    with tarfile.open(out) as tar:
        blob = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert b"tok-xxxxxxxxxxxxxxxxxxxx" not in blob


def test_logs_follow_with_a_filter_and_stop(qtbot, window, retail_device):
    from tests.lab.images import import_busybox_image

    import_busybox_image(retail_device, "gui-ticker:latest")
    retail_device.exec(
        [
            "docker",
            "run",
            "-d",
            "--name",
            "gui-ticker",
            "gui-ticker:latest",
            "sh",
            "-c",
            "i=0; while true; do i=$((i+1)); echo tick $i; echo tock $i; sleep 0.2; done",
        ]
    )
    connect_and_discover(qtbot, window, retail_device)
    pane = window.monitor.logs
    pane.set_containers(["gui-ticker"])
    pane.filter.setText("tick")
    pane.follow_button.setChecked(True)
    qtbot.waitUntil(lambda: "tick 3" in pane.view.toPlainText(), timeout=30_000)
    assert "tock" not in pane.view.toPlainText()
    pane.filter.setText("tock")  # the filter applies to what came already, too
    assert "tock 1" in pane.view.toPlainText() and "tick" not in pane.view.toPlainText()
    pane.follow_button.setChecked(False)
    qtbot.waitUntil(lambda: pane.token is None, timeout=20_000)  # following really stopped
    assert window.errors.shown == []
