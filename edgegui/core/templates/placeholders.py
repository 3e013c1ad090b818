"""Placeholders in a template's stack: ``${NAME}`` for a parameter, ``${slot.NAME}`` for a slot.

The syntax is Compose's own, minus defaults and unbraced names: ``$$`` is a literal ``$``,
and anything else after a ``$`` is an error, so a typo cannot pass through unrendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

_DOLLAR_RE = re.compile(r"\$(\$|\{([^{}]*)\})?")
_PARAMETER_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
_SLOT_RE = re.compile(r"^slot\.([a-z][a-z0-9_]{0,31})$")


@dataclass(frozen=True)
class Reference:
    """What a placeholder names: a parameter or a slot."""

    kind: str  # "parameter" or "slot"
    name: str

    def __str__(self) -> str:
        return "${slot." + self.name + "}" if self.kind == "slot" else "${" + self.name + "}"


def references(text: str) -> list[Reference]:
    """Every placeholder in ``text``; ValueError explains a malformed one."""
    found = []
    for match in _DOLLAR_RE.finditer(text):
        if match.group(1) == "$":
            continue
        inner = match.group(2)
        if inner is None:
            raise ValueError(
                "a '$' must start ${NAME} or ${slot.NAME}; write $$ for a literal dollar sign"
            )
        found.append(_reference(inner.strip()))
    return found


def _reference(inner: str) -> Reference:
    if _PARAMETER_RE.match(inner):
        return Reference("parameter", inner)
    slot = _SLOT_RE.match(inner)
    if slot:
        return Reference("slot", slot.group(1))
    if ":" in inner or "-" in inner or "?" in inner:
        raise ValueError(
            f"${{{inner}}}: defaults and conditions belong in the parameter declaration"
        )
    raise ValueError(f"${{{inner}}}: expected ${{PARAMETER_NAME}} or ${{slot.slot_name}}")


def substitute(text: str, lookup: Callable[[Reference], Any]) -> Any:
    """Replace placeholders; a string that is exactly one placeholder keeps the value's type."""
    whole = _DOLLAR_RE.fullmatch(text)
    if whole and whole.group(2) is not None:
        return lookup(_reference(whole.group(2).strip()))

    def replace(match: re.Match[str]) -> str:
        if match.group(1) == "$":
            return "$"
        if match.group(2) is None:
            raise ValueError("a lone '$'; write $$ for a literal dollar sign")
        return as_text(lookup(_reference(match.group(2).strip())))

    return _DOLLAR_RE.sub(replace, text)


def as_text(value: Any) -> str:
    """How a typed value reads inside a longer string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def substitute_tree(tree: Any, lookup: Callable[[Reference], Any]) -> Any:
    """A copy of ``tree`` with placeholders replaced in every string (keys are left alone)."""
    if isinstance(tree, str):
        return substitute(tree, lookup)
    if isinstance(tree, dict):
        return {key: substitute_tree(value, lookup) for key, value in tree.items()}
    if isinstance(tree, list):
        return [substitute_tree(item, lookup) for item in tree]
    return tree


def iter_strings(tree: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string leaf with its path, for checking placeholders at load time."""
    if isinstance(tree, str):
        yield path, tree
    elif isinstance(tree, dict):
        for key, value in tree.items():
            yield from iter_strings(value, (*path, key))
    elif isinstance(tree, list):
        for index, item in enumerate(tree):
            yield from iter_strings(item, (*path, index))
