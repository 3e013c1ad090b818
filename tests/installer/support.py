"""Helpers of the installer tests: the build scripts in installer/ (plain scripts, not a
package) as modules, and the smoke commands every installed form of EdgeGUI must pass."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from subprocess import CompletedProcess
from types import ModuleType

INSTALLER = Path(__file__).resolve().parents[2] / "installer"


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


SCANNER = "/dev/input/by-id/usb-Symbol_Technologies_Bar_Code_Scanner-event-kbd"
RENDER_ENV = {"TOKEN": "tok-42"}  # the secret comes from the environment, as in the field


def render_retail_args(output: Path) -> list[str]:
    """``edgegui render`` of the retail template with the monitoring add-on into ``output``
    (templates, add-ons and their config files all come from the installed resources)."""
    return [
        *("render", "retail", "--set", "SCANNER_GID=105", "--bind", f"scanner={SCANNER}"),
        *("--set-env", "CLOUD_API_TOKEN=TOKEN", "--addon", "monitoring", "-o", str(output)),
    ]


def check_rendered(result: CompletedProcess[str], output: Path) -> None:
    assert result.returncode == 0, result.stderr
    text = output.read_text()
    assert "pos-service" in text and "prom/prometheus" in text  # template and add-on
    assert (output.parent / "configs" / "prometheus-config").is_file()


def check_discovered(result: CompletedProcess[str]) -> None:
    """``discover local:// --json`` ran the installed probe.sh on this computer."""
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["system"]["kernel"] == os.uname().release
