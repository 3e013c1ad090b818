"""Locate packaged data (templates, probe script, daemon profiles) in a checkout or a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, or inside a frozen app."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file or folder under ``resources/``."""
    return resources_root().joinpath(*parts)


def device_script(*names: str) -> str:
    """Scripts from ``resources/`` joined for sending to a device, without comments and
    indentation (every byte may have to cross a serial line)."""
    lines = []
    for name in names:
        for line in resource_path(name).read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                lines.append(stripped)
    return "\n".join(lines) + "\n"
