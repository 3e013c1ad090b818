"""probe_inventory over the real LocalTransport, and how broken output is handled."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest

from edgegui.core.discovery import ProbeOutputError, parse_probe_output, probe_inventory
from edgegui.core.discovery.probe import probe_script
from edgegui.core.events import Progress
from edgegui.core.transport.base import CommandResult
from edgegui.core.transport.local import LocalTransport
from tests.core.discovery.probe_env import build_device_tree, fixture_text, run_probe


class CountingLocal(LocalTransport):
    """The real local transport, counting what discovery asks of it."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.runs = 0

    def run_script(self, script: str, args: Sequence[str] = (), **kwargs: object) -> CommandResult:
        self.scripts += 1
        return super().run_script(script, args, **kwargs)  # type: ignore[arg-type]

    def run(self, argv: Sequence[str], **kwargs: object) -> CommandResult:
        self.runs += 1
        return super().run(argv, **kwargs)  # type: ignore[arg-type]


def test_one_exec_discovers_this_computer() -> None:
    transport = CountingLocal()
    events: list[Progress] = []
    with transport:
        inventory = probe_inventory(transport, events.append)
    assert (transport.scripts, transport.runs) == (1, 1)
    assert inventory.system.hostname == os.uname().nodename
    assert inventory.system.arch == os.uname().machine
    assert inventory.system.uid == os.getuid()
    assert inventory.probe["transport"] == "local" and inventory.probe["complete"]
    assert [e.done for e in events] == [0, 1, 2]
    for name in ("meta", "system", "network", "usb", "serial", "pci"):
        assert name not in inventory.errors


def test_script_sent_is_compact_and_still_valid() -> None:
    script = probe_script()
    assert not any(line.startswith("#") or line != line.strip() for line in script.splitlines())
    assert len(script.encode()) < 14_000  # crosses a 115200-baud console in about 1.2 s


class SilentTransport(LocalTransport):
    def run(self, argv: Sequence[str], **kwargs: object) -> CommandResult:
        return CommandResult(tuple(argv), 127, b"", b"sh: not found\n")


def test_a_device_without_sh_gives_one_line() -> None:
    with pytest.raises(ProbeOutputError, match=r"^local://: the probe did not run .*sh: not found"):
        probe_inventory(SilentTransport())


def test_not_probe_output() -> None:
    with pytest.raises(ProbeOutputError, match="notes.txt: not EdgeGUI probe output"):
        parse_probe_output("hello\n", "notes.txt")
    with pytest.raises(ProbeOutputError, match="version '9' is not supported"):
        parse_probe_output("@@EDGEGUI-PROBE 9\n")


def test_cut_short_output_keeps_what_arrived() -> None:
    raw = fixture_text("probe/devvm-root-docker-reachable.txt")
    cut = raw[: raw.index("@@BEGIN network") + 60]
    inventory = parse_probe_output(cut)
    assert inventory.system.hostname == "vm" and inventory.docker.reachable
    assert inventory.errors["network"] == "output cut short"
    assert inventory.errors["usb"] == "section missing"
    assert not inventory.probe["complete"]


def test_a_failing_section_does_not_lose_the_others(tmp_path: Path) -> None:
    root = build_device_tree("gateway", tmp_path / "hw")
    (root / "proc/bus/input/devices").unlink()
    fake = root / "usr/local/bin/nvidia-smi"
    fake.parent.mkdir(parents=True, exist_ok=True)
    fake.write_text("#!/bin/sh\necho 'NVIDIA-SMI has failed: driver not loaded'\nexit 9\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    inventory = parse_probe_output(run_probe(root))
    assert inventory.errors["input"].endswith("/proc/bus/input/devices is not readable")
    assert inventory.errors["gpu"] == "nvidia-smi failed: NVIDIA-SMI has failed: driver not loaded"
    assert [a.tty for a in inventory.serial_adapters] == ["/dev/ttyUSB0", "/dev/ttyUSB1"]
    assert set(inventory.errors) == {"input", "gpu"}


def test_short_rows_and_failed_sections_never_raise() -> None:
    raw = (
        "@@EDGEGUI-PROBE 1\n@@BEGIN usb\ndev\t1-1\nif\n@@END usb 0\n"
        "@@BEGIN network\nlink eth0\naddr\nroute4\n@@END network 0\n"
        "@@BEGIN meta\nversion=1\n@@END meta 3\n"
    )
    inventory = parse_probe_output(raw)
    assert [(u.path, u.vid) for u in inventory.usb_devices] == [("1-1", "")]
    assert inventory.network.interfaces == [] and inventory.network.default_route is None
    assert inventory.errors["meta"] == "probe section exited with status 3"
    assert "usb" not in inventory.errors and "network" not in inventory.errors
