"""Rendering for a known device: values only it knows, and limits its engine cannot enforce."""

from __future__ import annotations

from typing import Any

import pytest

from edgegui.core.templates import render_stack
from edgegui.core.templates.engine_limits import EngineCapabilities, adapt_limits
from edgegui.core.templates.errors import RequirementError
from tests.core.templates.conftest import BINDINGS, VALUES, load_inventory

SYMBOL = (
    "/dev/input/by-id/usb-Symbol_Technologies__Inc__2002_Symbol_Bar_Code_Scanner"
    "_S_N:28A1CC69D1D8AE4585EDA53F7CD6CB88_Rev:NBRMSAAHDM-event-kbd"
)


def with_engine(inventory: dict[str, Any], **flags: bool) -> dict[str, Any]:
    return {**inventory, "docker": {**inventory["docker"], **flags}}


def test_a_full_engine_changes_nothing() -> None:
    body = {"cpus": 1, "mem_limit": "256M", "pids_limit": 100}
    caps = EngineCapabilities(True, True, True, True, True)
    assert adapt_limits("web", body, caps) == [] and body["cpus"] == 1


def test_no_cfs_quota_turns_cpus_into_shares() -> None:
    body = {"cpus": 0.5, "mem_limit": "256M"}
    notes = adapt_limits("web", body, EngineCapabilities(cpu_quota=False, cpu_shares=True))
    assert body == {"cpu_shares": 512, "mem_limit": "256M"}
    assert "cpus 0.5 became cpu_shares 512" in notes[0] and "not a cap" in notes[0]


def test_limits_nothing_can_enforce_are_dropped_with_a_note() -> None:
    body = {"cpus": 1, "mem_limit": "256M", "memswap_limit": "512M", "pids_limit": 100}
    caps = EngineCapabilities(False, False, False, False, False)
    notes = adapt_limits("plc", body, caps)
    assert body == {}
    assert len(notes) == 4 and all(note.startswith("plc: ") for note in notes)
    assert caps.missing() == [
        "CPU quota (cpus)",
        "CPU shares",
        "memory limits",
        "swap limits",
        "PIDs limits",
    ]


def test_render_for_a_device_without_cfs_says_so() -> None:
    inventory = with_engine(load_inventory("gateway"), cpu_cfs_quota=False, cpu_shares=True)
    stack = render_stack(
        "industrial", VALUES["industrial"], BINDINGS["industrial"], inventory=inventory
    )
    services = stack.compose["services"]
    assert all("cpus" not in body for body in services.values())
    assert all(body["cpu_shares"] >= 2 for body in services.values())
    assert len([n for n in stack.notes if "cpu_shares" in n]) == len(services)
    text = stack.render("compose").text
    assert "cpus:" not in text and "became cpu_shares 512" in text  # the header says why


def test_an_unknown_engine_is_left_alone() -> None:
    stack = render_stack("industrial", VALUES["industrial"], BINDINGS["industrial"])  # no device
    assert stack.notes == [] and all("cpus" in b for b in stack.compose["services"].values())


def test_a_template_that_needs_memory_limits_is_refused(tmp_path) -> None:
    source = tmp_path / "strict.yaml"
    source.write_text(
        "schema_version: 1\n"
        "metadata: {name: strict, title: Strict, description: Needs limits., version: 1.0.0}\n"
        "requirements: {engine_features: [memory-limit]}\n"
        "stack:\n  services:\n    app: {image: 'busybox:1.36', mem_limit: 64M}\n"
    )
    inventory = with_engine(load_inventory("gateway"), memory_limit_enforced=False)
    with pytest.raises(RequirementError, match="strict: needs memory limits, which the device"):
        render_stack(str(source), inventory=inventory)
    full = render_stack(str(source), inventory=load_inventory("gateway"))
    assert not [note for note in full.notes if "dropped" in note or "became" in note]


def test_the_scanner_group_is_read_from_the_device() -> None:
    inventory = load_inventory("gateway")
    inventory["input_devices"] = [
        {"vid": "05e0", "pid": "1200", "name": "Symbol Bar Code Scanner", "is_scanner": True,
         "event": "/dev/input/event2", "by_id": SYMBOL, "node_gid": 105},
    ]  # fmt: skip
    inventory["serial_adapters"] = []
    values = {"CLOUD_API_TOKEN": VALUES["retail"]["CLOUD_API_TOKEN"]}
    stack = render_stack("retail", values, inventory=inventory)
    pos = stack.compose["services"]["pos-service"]
    assert pos["group_add"] == ["105"]
    assert pos["devices"] == [{"source": SYMBOL, "target": "/dev/scanner", "permissions": "r"}]
    assert any(note.startswith("SCANNER_GID=105: the group owning") for note in stack.notes)
    given = render_stack("retail", {**values, "SCANNER_GID": "7"}, inventory=inventory)
    assert given.compose["services"]["pos-service"]["group_add"] == ["7"]  # the user decides
