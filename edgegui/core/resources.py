"""Locate packaged data (templates, add-ons, probe script, daemon profiles, icons).

The one place that knows where ``resources/`` lives:

- a frozen app (PyInstaller): ``<bundle>/edgegui/resources``;
- an installed wheel: the data package ``edgegui/resources`` beside this package;
- a checkout or an editable install: ``resources/`` at the top of the repository.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from edgegui.core.errors import EdgeGUIError

_PACKAGE = Path(__file__).resolve().parents[1]


class ResourcesMissing(EdgeGUIError):
    """No resources folder anywhere: the installation is incomplete."""


def candidate_roots() -> list[Path]:
    """Where ``resources/`` may be, most specific first."""
    roots: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.append(Path(frozen) / "edgegui" / "resources")
    roots.append(_PACKAGE / "resources")  # wheel: package data
    roots.append(_PACKAGE.parent / "resources")  # checkout, editable install
    return roots


@cache
def resources_root() -> Path:
    """The ``resources/`` folder this installation uses (it holds ``probe.sh``)."""
    for root in candidate_roots():
        if (root / "probe.sh").is_file():
            return root
    looked = ", ".join(str(root) for root in candidate_roots())
    raise ResourcesMissing(f"EdgeGUI's resources are missing (looked in {looked}); reinstall it")


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
