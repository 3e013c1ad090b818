"""Verbs ``templates list|show`` and ``render``: browse industry templates, render a stack."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from edgegui.cli.common import print_json
from edgegui.cli.template_args import (
    CommandLineError,
    read_inventory,
    template_bindings,
    template_values,
)
from edgegui.core.bundle import verify_bundle
from edgegui.core.bundle.pinning import PinnedImage, pin_images
from edgegui.core.templates import (
    RenderedStack,
    Template,
    TemplateNotFound,
    list_templates,
    load_template,
    render_stack,
    user_dir,
)
from edgegui.core.templates.rendered import MAIN_FILE


def run_list(args: argparse.Namespace) -> int:
    entries = list_templates()
    if args.json:
        print_json(
            [
                {
                    "name": e.name,
                    "kind": e.kind,
                    "origin": e.origin,
                    "path": str(e.path),
                    "title": e.title,
                    "error": e.error,
                    "conflict": str(e.conflict) if e.conflict else None,
                }
                for e in entries
            ]
        )
        return 0
    for entry in entries:
        print(f"{entry.name:<16} {entry.kind:<9} {entry.origin:<9} {entry.title}")
        if entry.conflict:
            print(f"  conflict: also defined in {entry.conflict}; neither is used by name")
        if entry.error:
            print(f"  error: {entry.error}")
    print(f"(user templates: {user_dir()})")
    return 0


def _load_any(name: str) -> Template:
    try:
        return load_template(name)
    except TemplateNotFound:
        return load_template(name, kind="addon")


def run_show(args: argparse.Namespace) -> int:
    template = _load_any(args.name)
    description = template.describe()
    if args.json:
        print_json(description)
        return 0
    print(
        f"{template.title} ({template.kind} {template.name} {template.version}, {template.origin})"
    )
    print(f"  {template.description}")
    print("parameters:")
    for parameter in description["parameters"]:
        default = (
            "required"
            if parameter["required"]
            else f"default {parameter.get('default', '(generated)')}"
        )
        print(f"  {parameter['name']:<26} {parameter['type']:<8} {default}")
        print(f"      {parameter['help']}")
    if description["slots"]:
        print("hardware slots:")
        for slot in description["slots"]:
            optional = ", optional" if slot["optional"] else ""
            print(f"  {slot['name']:<26} {slot['needs']}{optional}: {slot['help']}")
    needs = template.requirements
    arches = ", ".join(needs.architectures) or "any architecture"
    print(
        f"requirements: {arches}; {needs.min_memory_mib} MiB memory; {needs.min_disk_mib} MiB disk"
    )
    if template.formats:
        print("renders only for: " + ", ".join(f"--format {f}" for f in template.formats))
    print("services: " + ", ".join(sorted(template.stack.services)))
    for waiver in template.waivers:
        print(f"security waiver: {waiver.describe()}")
    return 0


def run_render(args: argparse.Namespace) -> int:
    if args.pin_digests and args.bundle is None:
        raise CommandLineError("--pin-digests takes the digests from a bundle: add --bundle FILE")
    template = load_template(args.name)
    values = template_values(args, template)
    stack = render_stack(
        template,
        values,
        template_bindings(args),
        addons=args.addon,
        inventory=read_inventory(args.inventory) if args.inventory else None,
    )
    pins = _pin(stack, args.bundle) if args.pin_digests else []
    output = stack.render(args.format)
    for note in stack.notes:
        _warn(note)
    for pin in pins:
        _warn(f"pinned {pin.describe()}")
    for waiver in stack.waivers:
        _warn(f"security waiver: {waiver.describe()}")
    for limitation in output.limitations:
        _warn(f"{args.format}: {limitation}")
    written = _write_bundle(stack, args.format, args.output) if args.output else []
    if args.json:
        print_json(
            {
                "format": args.format,
                "text": None if args.output else output.text,
                "files": written,
                "images": stack.images,
                "pinned": [{"image": p.ref, "pinned": p.pinned, "by": p.by} for p in pins],
                "waivers": [w.describe() for w in stack.waivers],
                "limitations": list(output.limitations),
                "bindings": {slot: b.describe() for slot, b in stack.bindings.items()},
            }
        )
    elif not args.output:
        sys.stdout.write(output.text)
        extra = [path for path in stack.bundle(args.format) if path != MAIN_FILE[args.format]]
        if extra:
            _warn(
                f"the stack also needs {', '.join(extra)} beside the file; "
                "use -o FILE to write them"
            )
    return 0


def _pin(stack: RenderedStack, bundle: Path) -> list[PinnedImage]:
    """Pin the stack's images to the bundle's digests (after checking the bundle)."""
    pins = pin_images(verify_bundle(bundle), stack.images, str(bundle))
    stack.pin_images({pin.ref: pin.pinned for pin in pins})
    return pins


def _write_bundle(stack: RenderedStack, fmt: str, output: Path) -> list[str]:
    """Write the main file as ``output`` and the other files beside it; secrets mode 0600."""
    written = []
    for relative, (text, mode) in stack.bundle(fmt).items():
        target = output if relative == MAIN_FILE[fmt] else output.parent / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(text)
        written.append(str(target))
    return written


def _warn(message: str) -> None:
    print(f"edgegui: {message}", file=sys.stderr)
