"""Slot binding: stable by-id paths only, candidates from a discovery inventory, clear refusals."""

from __future__ import annotations

from typing import Any

import pytest

from edgegui.core.templates import SlotError, SlotSpec, candidates_from_inventory, parse_bind_values
from edgegui.core.templates.slots import bind_slots, slot_choices
from tests.core.templates.conftest import load_inventory

FTDI = "/dev/serial/by-id/usb-LABS_LABS_Board1_A14EHLMI-if00-port0"
CP2102 = "/dev/serial/by-id/usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0"
SCANNER = (
    "/dev/input/by-id/usb-Symbol_Technologies__Inc__2002_Symbol_Bar_Code_Scanner"
    "_S_N:28A1CC69D1D8AE4585EDA53F7CD6CB88_Rev:NBRMSAAHDM-event-kbd"
)
PLC = SlotSpec("plc_port", "serial_adapter", "PLC port")
FTDI_ONLY = SlotSpec("plc_port", "serial_adapter", "PLC port", vid="0403", pid="6001")
SCANNER_SLOT = SlotSpec("scanner", "barcode_scanner", "till scanner")
GPU = SlotSpec("gpu", "gpu", "GPU", vendors=("nvidia", "jetson"), min_memory_mib=4096)


def bind(
    slots: list[SlotSpec], binds: dict[str, str], inventory: dict[str, Any] | None
) -> dict[str, str]:
    bound = bind_slots({s.name: s for s in slots}, binds, inventory, subject="t")
    return {name: binding.describe() for name, binding in bound.items()}


def test_candidates_from_a_gateway_inventory() -> None:
    candidates = candidates_from_inventory(load_inventory("gateway"))
    summary = [(c.kind, c.stable_path, c.vid, c.pid) for c in candidates]
    assert summary == [
        ("serial_adapter", FTDI, "0403", "6001"),
        ("serial_adapter", CP2102, "10c4", "ea60"),
        ("serial_adapter", None, "1a86", "7523"),  # no by-id link: listed, never bound
        ("barcode_scanner", SCANNER, "05e0", "1200"),
    ]


def test_gpu_candidates_use_the_index_when_the_uuid_is_masked() -> None:
    (h100,) = candidates_from_inventory(load_inventory("gpu"))
    assert (h100.vendor, h100.gpu_id, h100.memory_mib) == ("nvidia", "0", 81559)
    (orin,) = candidates_from_inventory(load_inventory("jetson"))
    assert (orin.vendor, orin.gpu_id) == ("jetson", None)


def test_single_match_binds_itself_and_vid_pid_narrows_the_choice() -> None:
    gateway = load_inventory("gateway")
    assert bind([FTDI_ONLY, SCANNER_SLOT], {}, gateway) == {"plc_port": FTDI, "scanner": SCANNER}
    assert bind([GPU], {}, load_inventory("gpu")) == {"gpu": "nvidia:0"}
    assert bind([GPU], {}, load_inventory("jetson")) == {"gpu": "jetson"}


def test_several_matches_ask_for_a_choice_listing_them() -> None:
    with pytest.raises(SlotError) as caught:
        bind([PLC], {}, load_inventory("gateway"))
    message = str(caught.value)
    assert message.startswith(
        "t: slot plc_port (serial adapter): 2 devices match; choose one with --bind plc_port="
    )
    assert FTDI in message and CP2102 in message and "\n" not in message
    assert bind([PLC], {"plc_port": CP2102}, load_inventory("gateway")) == {"plc_port": CP2102}


def test_missing_device_blocks_with_a_clear_message() -> None:
    with pytest.raises(
        SlotError, match=r"t: slot plc_port \(serial adapter\) is not bound: pass --bind"
    ):
        bind([PLC], {}, None)
    with pytest.raises(SlotError, match="no matching device on the device; plug it in"):
        bind([PLC], {}, load_inventory("gpu"))
    small = SlotSpec("gpu", "gpu", "GPU", vendors=("nvidia",), min_memory_mib=128 * 1024)
    with pytest.raises(
        SlotError, match=r"slot gpu \(GPU \(nvidia, >= 131072 MiB\)\): no matching device"
    ):
        bind([small], {}, load_inventory("gpu"))
    assert bind([SlotSpec("aux", "serial_adapter", "aux", optional=True)], {}, None) == {}


def test_a_device_without_stable_link_is_explained() -> None:
    ch340 = SlotSpec("plc_port", "serial_adapter", "PLC port", vid="1a86")
    with pytest.raises(SlotError, match="/dev/ttyUSB2 has no stable /dev/…/by-id link"):
        bind([ch340], {}, load_inventory("gateway"))


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/dev/ttyUSB0", "not a stable device link; use /dev/serial/by-id/…"),
        ("/dev/serial/by-path/pci-0000:00:14.0-usb-0:8:1.0-port0", "not a stable device link"),
        ("/dev/serial/by-id/../../sda", "not a stable device link"),
        ("/dev/serial/by-id/$(touch /tmp/pwned)", "not a stable device link"),
        ("/dev/serial/by-id/a b", "not a stable device link"),
    ],
)
def test_unstable_or_unsafe_paths_are_refused(path: str, message: str) -> None:
    with pytest.raises(SlotError, match=message.replace("(", r"\(")):
        bind([PLC], {"plc_port": path}, None)


def test_refusal_offers_the_inventory_candidates() -> None:
    with pytest.raises(SlotError) as caught:
        bind([FTDI_ONLY], {"plc_port": "/dev/ttyUSB0"}, load_inventory("gateway"))
    assert f"candidates: {FTDI} (LABS LABS Board1, 0403:6001)" in str(caught.value)


def test_explicit_path_must_exist_in_the_inventory_when_given() -> None:
    other = "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0"
    assert bind([PLC], {"plc_port": other}, None) == {"plc_port": other}
    with pytest.raises(SlotError, match="no serial adapter with this path in the inventory"):
        bind([PLC], {"plc_port": other}, load_inventory("gateway"))


def test_scanner_links_may_contain_colons() -> None:
    assert bind([SCANNER_SLOT], {"scanner": SCANNER}, None) == {"scanner": SCANNER}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("nvidia", "nvidia:0"),
        ("nvidia:1", "nvidia:1"),
        ("nvidia:all", "nvidia:all"),
        ("jetson", "jetson"),
    ],
)
def test_gpu_binds(value: str, expected: str) -> None:
    assert bind([GPU], {"gpu": value}, None) == {"gpu": expected}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("amd:0", "GPU vendor must be one of nvidia, jetson"),
        ("jetson:0", "a Jetson GPU takes no id"),
        ("nvidia:$(reboot)", "use nvidia:INDEX, nvidia:GPU-UUID or nvidia:all"),
        ("nvidia:7", "no such GPU"),
    ],
)
def test_bad_gpu_binds(value: str, message: str) -> None:
    inventory = load_inventory("gpu") if value == "nvidia:7" else None
    with pytest.raises(SlotError, match=message.replace("(", r"\(")):
        bind([GPU], {"gpu": value}, inventory)


def test_bind_values_and_unknown_slots() -> None:
    assert parse_bind_values(["plc_port=" + FTDI]) == {"plc_port": FTDI}
    for bad in (["plc_port"], ["PLC=/dev/x"], ["plc_port="]):
        with pytest.raises(SlotError, match="expected SLOT=PATH"):
            parse_bind_values(bad)
    with pytest.raises(SlotError, match="given twice"):
        parse_bind_values(["a=/x", "a=/y"])
    with pytest.raises(SlotError, match=r"t: unknown slot scaner \(slots: plc_port\)"):
        bind([PLC], {"scaner": SCANNER}, None)


def test_malformed_inventory_is_one_error() -> None:
    with pytest.raises(SlotError, match="inventory: 'serial_adapters' must be a list of objects"):
        candidates_from_inventory({"serial_adapters": "ttyUSB0"})


def test_slot_choices_for_a_chooser() -> None:
    choices = slot_choices({"plc_port": PLC, "scanner": SCANNER_SLOT}, load_inventory("gateway"))
    assert [c.stable_path for c in choices["plc_port"]] == [FTDI, CP2102, None]
    assert [c.stable_path for c in choices["scanner"]] == [SCANNER]


def test_contract_with_the_discovery_inventory() -> None:
    """Inventory.to_dict() from discovery (issue 3) carries the keys slots read."""
    model = pytest.importorskip("edgegui.core.discovery.model")
    inventory = model.Inventory(
        serial_adapters=[
            model.SerialAdapter(tty="/dev/ttyUSB0", by_id=FTDI, vid="0403", pid="6001")
        ],
        input_devices=[
            model.InputDevice(
                name="Scanner", vid="05e0", pid="1200", by_id=SCANNER, is_scanner=True
            )
        ],
        gpus=[model.Gpu(vendor="nvidia", name="NVIDIA H100 80GB HBM3", memory_mib=81559, index=0)],
    )
    slots = [PLC, SCANNER_SLOT, GPU]
    assert bind(slots, {}, inventory.to_dict()) == {
        "gpu": "nvidia:0",
        "plc_port": FTDI,
        "scanner": SCANNER,
    }
