"""Helpers for discovery tests: fixture paths and running resources/probe.sh on a built tree."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from edgegui.core.discovery.probe import probe_script
from tests.lab.hardware import build_hardware_tree, load_hardware_spec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DEVICES = Path(__file__).resolve().parents[2] / "lab" / "devices"
SHELLS = [s for s in ("dash", "busybox") if shutil.which(s)]


def fixture_text(relative: str) -> str:
    return (FIXTURES / relative).read_text(encoding="utf-8")


def build_device_tree(name: str, root: Path, with_ids: bool = True) -> Path:
    """Build the lab hardware tree of tests/lab/devices/NAME.yaml under ``root``."""
    build_hardware_tree(load_hardware_spec(DEVICES / f"{name}.yaml"), root)
    if with_ids:  # ids databases, as /usr/share/misc has them on Debian
        ids = root / "usr/share/misc"
        ids.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / "ids/usb.ids.excerpt", ids / "usb.ids")
        shutil.copy(FIXTURES / "ids/pci.ids.excerpt", ids / "pci.ids")
    return root


def run_probe(root: Path | None, shell: str = "dash") -> str:
    """Run the probe as the transports do (script on stdin), with the testing hook on ``root``."""
    env = dict(os.environ)
    if root is not None:
        env["EDGEGUI_PROBE_ROOT"] = str(root)
        env["PATH"] = f"{root}/usr/local/bin:{env['PATH']}"
    argv = ["busybox", "sh", "-s"] if shell == "busybox" else [shell, "-s"]
    result = subprocess.run(
        argv, input=probe_script(), capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
