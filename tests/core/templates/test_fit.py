"""The fit check: each need of a template against a discovery inventory, before any form."""

from __future__ import annotations

from edgegui.core.templates import load_template
from edgegui.core.templates.fit import FitLine, template_fit

SMALL_BOX = {"system": {"arch": "x86_64", "mem_total_mib": 4000, "disk_free_root_mib": 9000}}
SCANNER = {
    "vendor": "Datalogic",
    "product": "Gryphon",
    "name": "Datalogic Gryphon",
    "vid": "05f9",
    "pid": "2206",
    "is_scanner": True,
    "event": "/dev/input/event3",
    "by_id": "/dev/input/by-id/usb-Datalogic_Gryphon-event-kbd",
}


def test_every_unmet_need_is_a_red_line_not_only_the_first():
    lines = template_fit(load_template("ai"), SMALL_BOX)
    assert [line.status for line in lines] == ["fail", "fail", "fail"]
    assert lines[0].text == "needs 8192 MiB of memory, the device has 4000 MiB"
    assert "GPU" in lines[2].text and lines[2].text.endswith("— none found")


def test_a_found_scanner_is_named():
    lines = template_fit(load_template("retail"), {**SMALL_BOX, "input_devices": [SCANNER]})
    assert lines == [
        FitLine("pass", "runs on this x86_64 device"),
        FitLine("pass", "a barcode scanner: Datalogic Gryphon"),
    ]


def test_without_an_inventory_the_fit_is_unknown():
    assert [line.status for line in template_fit(load_template("retail"), None)] == ["warn"]
