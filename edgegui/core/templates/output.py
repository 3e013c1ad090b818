"""Pieces shared by the three output formats: the header comment and ``$`` escaping."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from edgegui.core.templates.hardening import Waiver

SECRETS_DIR = "secrets"
CONFIGS_DIR = "configs"


@dataclass(frozen=True)
class FormatOutput:
    """A rendered main file and what the format could not express."""

    text: str
    limitations: tuple[str, ...] = field(default=())


def header(
    *,
    title: str,
    source: str,
    usage: str,
    waivers: Sequence[Waiver],
    limitations: Sequence[str],
    needs: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> str:
    """The comment block opening every rendered file: where it came from and its caveats."""
    lines = [f"# {title}", f"# Rendered by EdgeGUI from {source}.", f"# Use: {usage}"]
    sections = (
        ("Security waivers (written reasons for weaker settings)", [w.describe() for w in waivers]),
        ("Not expressible in this format", list(limitations)),
        ("Needs beside it", list(needs)),
        ("Notes for this device", list(notes)),
    )
    for heading, items in sections:
        if items:
            lines.append(f"# {heading}:")
            lines.extend(f"#   - {_one_line(item)}" for item in items)
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def map_strings(tree: Any, change: Callable[[str], str]) -> Any:
    """A copy of ``tree`` with ``change`` applied to every string value (keys untouched)."""
    if isinstance(tree, str):
        return change(tree)
    if isinstance(tree, dict):
        return {key: map_strings(value, change) for key, value in tree.items()}
    if isinstance(tree, list):
        return [map_strings(item, change) for item in tree]
    return tree


def escape_for_compose(tree: Any) -> Any:
    """Compose (and ``docker stack``) interpolate ``$VAR``: every ``$`` becomes ``$$``."""
    return map_strings(tree, lambda text: text.replace("$", "$$"))


def escape_for_kubernetes(tree: Any) -> Any:
    """Kubernetes expands ``$(VAR)`` in env values, command and args: write ``$$(``."""
    return map_strings(tree, lambda text: text.replace("$(", "$$("))
