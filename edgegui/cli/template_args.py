"""Template value options shared by ``render``, ``deploy``, ``k8s`` and ``bundle create``, and
rendering for the connected device."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from edgegui.core.errors import EdgeGUIError
from edgegui.core.templates import RenderedStack, parse_bind_values, parse_set_values, render_stack


class CommandLineError(EdgeGUIError):
    """A command-line option is unusable (unreadable file, unset environment variable)."""


def template_values(args: argparse.Namespace, template: Any) -> dict[str, Any]:
    """Parameter values from --set and --set-env; warns when a secret is given in clear."""
    given = parse_set_values(args.values)
    for name in given:
        spec = template.parameters.get(name)
        if spec is not None and spec.secret:
            print(
                f"edgegui: {name} is a secret; --set leaves it in shell history, "
                f"prefer --set-env {name}=VAR",
                file=sys.stderr,
            )
    values: dict[str, Any] = dict(given)
    for name, variable in parse_set_values(args.set_env).items():
        if name in values:
            raise CommandLineError(f"--set-env {name}: also given with --set")
        if variable not in os.environ:
            raise CommandLineError(f"--set-env {name}: environment variable {variable} is unset")
        values[name] = os.environ[variable]
    return values


def template_bindings(args: argparse.Namespace) -> dict[str, str]:
    return parse_bind_values(args.bind)


def read_inventory(path: Path) -> dict[str, Any]:
    """A saved inventory (``edgegui discover --json``), checked to be a JSON object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandLineError(f"--inventory {path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandLineError(f"--inventory {path}: not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise CommandLineError(
            f"--inventory {path}: expected a JSON object (edgegui discover --json)"
        )
    return data


def render_for_device(
    transport: Any,
    template: Any,
    values: dict[str, Any],
    bindings: dict[str, str],
    args: argparse.Namespace,
    inventory: dict[str, Any] | None,
) -> RenderedStack:
    """Render for the connected device: discovered (one exec) unless an inventory was given,
    so slots bind themselves, device-only values fill in and unenforceable limits adapt —
    all before anything changes on the device."""
    from edgegui.core.discovery import probe_inventory

    if inventory is None:
        if not args.json:
            print(f"discover: probing {transport.describe()}", file=sys.stderr)
        inventory = probe_inventory(transport).to_dict()
    rendered = render_stack(template, values, bindings, addons=args.addon, inventory=inventory)
    for slot, binding in sorted(rendered.bindings.items()):
        if slot not in bindings:
            print(f"edgegui: slot {slot}: bound to {binding.describe()}, the only match on "
                  "the device", file=sys.stderr)  # fmt: skip
    for note in rendered.notes:
        print(f"edgegui: note: {note}", file=sys.stderr)
    return rendered
