"""``edgegui deploy TARGET --template NAME``: render a stack and deploy it transactionally."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from edgegui.cli.common import connect, print_json
from edgegui.cli.template_args import (
    read_inventory,
    render_for_device,
    template_bindings,
    template_values,
)
from edgegui.core.deploy import DeployResult, deploy_stack
from edgegui.core.events import Progress
from edgegui.core.templates import (
    load_template,
)


def print_progress(event: Progress) -> None:
    """One line per event on stderr: bytes, rate and ETA for transfers."""
    if event.unit == "B" and event.total:
        eta = f", ETA {event.eta:.0f} s" if event.eta is not None else ""
        line = (
            f"{event.task}: {event.done / 1e6:.1f}/{event.total / 1e6:.1f} MB "
            f"at {event.rate / 1e6:.2f} MB/s{eta} {event.message}"
        )
    else:
        line = f"{event.task}: {event.message}"
    print(line, file=sys.stderr)


def print_result(result: DeployResult, as_json: bool) -> int:
    if as_json:
        print_json(result.to_dict())
    else:
        for name, service in sorted(result.services.items()):
            mark = " (restarted)" if service.changed else ""
            problems = f" — {'; '.join(service.problems)}" if service.problems else ""
            print(f"{name:<24} {service.state:<10} {service.health:<10}{mark}{problems}")
        for line in result.security:
            print(f"security: {line}")
        if result.bytes_sent:
            print(f"sent {result.bytes_sent} bytes of image layers")
        if not result.ok:
            rolled = " — rolled back to the previous version" if result.rolled_back else ""
            print(f"edgegui: stack {result.stack} failed: {result.reason}{rolled}", file=sys.stderr)
    return 0 if result.ok else 1


def run_deploy(args: argparse.Namespace) -> int:
    template = load_template(args.template)
    values = template_values(args, template)
    bindings = template_bindings(args)
    saved = read_inventory(args.inventory) if args.inventory else None
    transport = connect(args)
    try:
        rendered = render_for_device(transport, template, values, bindings, args, saved)
        result = deploy_stack(
            transport,
            rendered,
            stack=args.stack or template.name,
            bundle=args.bundle,
            daemon_profile=args.daemon_profile,
            health_timeout=args.health_timeout,
            progress=None if args.json else print_progress,
            public_key=args.public_key,
        )
        if result.ok:
            _advertise(transport, args.stack or template.name, rendered.source, args.json)
    finally:
        transport.close()
    return print_result(result, args.json)


def _advertise(transport: Any, stack: str, source: str, quiet: bool) -> None:
    """Announce the commissioned device on the LAN (avahi's _edgegui._tcp), or say why not."""
    from edgegui.core.lan.avahi import advertise_device

    note = advertise_device(transport, stack, source)
    if note and not quiet:
        print(f"edgegui: note: {note}", file=sys.stderr)
