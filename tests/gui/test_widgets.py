"""Widgets without a device: parameter form, progress text, terminal, charts, error hook."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt

from edgegui.core.errors import TransportError
from edgegui.core.events import Progress
from edgegui.core.templates import load_template
from edgegui.gui.progress import describe, human_bytes
from edgegui.gui.screens.terminal import TerminalView
from edgegui.gui.wizard.params import ParameterForm


def test_parameter_form_validates_as_you_type(qtbot):
    form = ParameterForm()
    qtbot.addWidget(form)
    form.set_parameters(load_template("retail").parameters)
    fields = form.fields
    assert not form.valid()  # SCANNER_GID and CLOUD_API_TOKEN are required
    assert (
        fields["CLOUD_API_TOKEN"].input.echoMode()
        == fields["CLOUD_API_TOKEN"].input.EchoMode.Password
    )
    with qtbot.waitSignal(form.validity_changed):
        fields["SCANNER_GID"].set_value("70000")
    assert "must be from 0 to 65535, got 70000" in fields["SCANNER_GID"].message.text()
    fields["SCANNER_GID"].set_value("20")
    fields["STORE_ID"].set_value("bad id!")
    assert "does not match the pattern" in fields["STORE_ID"].message.text()
    fields["STORE_ID"].set_value("store-9")
    fields["CLOUD_API_TOKEN"].set_value("s3cret-token")
    assert "s3cret" not in "".join(f.message.text() for f in fields.values())
    assert form.valid()
    values = form.values()
    assert values["SCANNER_GID"] == "20" and values["STORE_ID"] == "store-9"


def test_progress_text_shows_bytes_rate_and_eta():
    event = Progress(task="send bundle", done=3 * 2**20, total=12 * 2**20, started=0.0)
    text = describe(event)
    assert text.startswith("send bundle — 3.0 MiB of 12.0 MiB")
    assert "s left" in text
    assert describe(Progress(task="probe", unit="step", message="usb")) == "probe: usb"
    assert human_bytes(512) == "512 B"


def test_terminal_renders_vt100_and_sends_keys(qtbot):
    view = TerminalView()
    qtbot.addWidget(view)
    view.feed(b"hello\r\n\x1b[1mbold\x1b[0m \x1b[31mred\x1b[0m\r\n$ ")
    assert view.text().splitlines()[:3] == ["hello", "bold red", "$"]
    view.feed(b"\x1b[2J\x1b[Hcleared")
    assert view.text().splitlines()[0] == "cleared"
    typed: list[bytes] = []
    view.typed.connect(typed.append)
    qtbot.keyClick(view, Qt.Key.Key_A)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert typed == [b"a", b"\x1b[A", b"\r"]
    view.show()
    assert not view.grab().isNull()


def test_device_charts_draw_samples_taken_before_and_after_they_exist(qtbot):
    import pyqtgraph

    from edgegui.gui.screens.charts import DeviceCharts
    from edgegui.gui.services import DeviceSample

    charts = DeviceCharts()
    qtbot.addWidget(charts)
    charts.add(DeviceSample(10.0, 40.0, 62.5, None))
    charts.build(pyqtgraph)  # pyqtgraph loads after the first snapshot, on first view
    charts.add(DeviceSample(30.0, 41.0, 62.5, None))
    xs, ys = charts.curves["cpu_percent"].getData()
    assert list(ys) == [10.0, 30.0] and all(-10 <= x <= 0 for x in xs)
    assert charts.values["cpu_percent"].text() == "30 %"
    assert charts.values["temperature"].text() == "no sensor"
    charts.resize(600, 300)
    assert not charts.grab().isNull()


def test_a_failing_task_shows_one_line_with_details(qtbot, window):
    async def fails() -> None:
        await asyncio.sleep(0)
        raise TransportError("ssh://tech@10.0.0.9:22: cannot connect: No route to host")

    button = window.overview.discover_button
    button.setEnabled(True)
    with qtbot.waitSignal(window.ctx.bridge.failed) as failed:
        window.ctx.runner.spawn(fails(), busy=[button])
        assert not button.isEnabled()
    assert failed.args[0] == "ssh://tech@10.0.0.9:22: cannot connect: No route to host"
    assert "Traceback" in failed.args[1]
    qtbot.waitUntil(lambda: button.isEnabled() and not window.ctx.runner.tasks)
    dialog = window.errors.current
    assert dialog.isVisible() and dialog.text() == failed.args[0]
    assert "TransportError" in dialog.detailedText()


def test_review_shows_waivers_in_amber_with_their_reasons_and_unenforceable_limits(qtbot):
    from edgegui.gui import services
    from edgegui.gui.wizard.review import ReviewStep

    template = services.template("telecom")  # virtual-ran runs privileged on the host network
    rendered = services.render(template, {}, {}, None)
    review = ReviewStep()
    qtbot.addWidget(review)
    notes = ["memory limits: the device's engine cannot enforce them (cgroup v1)"]
    review.show_rendered("telecom", rendered.to_compose_yaml(), "", notes, rendered)
    waivers = [line.message for line in review.security.waivers]
    assert {w.property("tone") for w in waivers} == {"warn"}
    texts = " ".join(w.toolTip() for w in waivers)
    assert "virtual-ran" in texts and "privileged" in texts
    assert all(w.reason in texts for w in template.waivers)  # the written reasons
    assert [line.message.toolTip() for line in review.security.limits] == notes


def test_deploy_checklist_follows_services_started_together(qtbot):
    # The industrial shape: two services that depend on a third start as one wave.
    from edgegui.gui.bridge import CoreBridge
    from edgegui.gui.wizard.deploy import WRITE, DeployStep

    bridge = CoreBridge()
    step = DeployStep(bridge)
    qtbot.addWidget(step)
    compose = {"services": {"analytics": {}, "dashboard": {"depends_on": ["analytics"]},
                            "modbus": {"depends_on": {"analytics": {}}}}}  # fmt: skip
    step.prepare(compose, with_bundle=False)
    titles = step.steps.titles()
    assert titles[1:4] == ["Start analytics", "Start dashboard", "Start modbus"]
    for message in ("writing files", "starting services", "starting analytics"):
        bridge.progress.emit("deploy", Progress("deploy", 1, 2, message))
    bridge.progress.emit("deploy", Progress("deploy", 1, 2, "starting dashboard, modbus"))
    states = dict(zip(titles, step.steps.states, strict=True))
    assert states[WRITE] == "done" and states["Start analytics"] == "done"
    assert states["Start dashboard"] == states["Start modbus"] == "running"
