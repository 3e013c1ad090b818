"""``edgegui swarm form|deploy --devices devices.csv``: hand the fleet to Docker Swarm."""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from edgegui.cli.common import print_json


def _members(args: argparse.Namespace) -> list[Any]:
    from edgegui.core.fleet import read_devices
    from edgegui.core.fleet.job import open_device
    from edgegui.core.orchestrate.swarm import SwarmError, SwarmMember

    devices = read_devices(args.devices)
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        by_name = {d.name: d for d in devices}
        unknown = [n for n in wanted if n not in by_name]
        if unknown:
            raise SwarmError(f"--only: {', '.join(unknown)} not in {args.devices}")
        devices = [by_name[n] for n in wanted]

    def link(device: Any) -> Any:
        transport = open_device(
            device,
            accept_new_host_key=args.accept_new_host_key,
            connect_timeout=args.connect_timeout,
        )
        return SwarmMember(device.name, transport)

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(link, devices))


def _close(members: list[Any]) -> None:
    for member in members:
        member.transport.close()


def _print_nodes(members: list[Any]) -> None:
    for m in members:
        labels = ", ".join(f"{k}={v}" for k, v in m.labels.items()) or "no hardware labels"
        print(f"{m.name:<16} {m.role:<8} {m.address:<16} {m.joined:<17} {labels}")


def run_form(args: argparse.Namespace) -> int:
    from edgegui.core.orchestrate.swarm import form_swarm

    members = _members(args)
    try:
        form_swarm(members)
    finally:
        _close(members)
    if args.json:
        print_json([m.to_dict() for m in members])
    else:
        _print_nodes(members)
    return 0


def run_deploy(args: argparse.Namespace) -> int:
    from edgegui.cli.template_args import template_bindings, template_values
    from edgegui.core.orchestrate.swarm import deploy_swarm_stack, form_swarm, render_for_swarm
    from edgegui.core.templates import load_template, render_stack

    template = load_template(args.template)
    values = template_values(args, template)
    members = _members(args)
    try:
        form_swarm(members)
        if not args.json:
            _print_nodes(members)
        rendered = render_for_swarm(
            members,
            lambda inventory: render_stack(
                template, values, template_bindings(args), addons=args.addon, inventory=inventory
            ),
        )
        rendered.check_format("swarm")
        if args.bundle is not None:
            _send_images(members, args.bundle, rendered.images)
        placed = deploy_swarm_stack(
            members[0], rendered, args.stack or template.name, timeout=args.timeout
        )
    finally:
        _close(members)
    if args.json:
        print_json({"nodes": [m.to_dict() for m in members], "services": placed})
    else:
        for service, node in sorted(placed.items()):
            print(f"{service:<24} runs on {node}")
        for note in rendered.limitations("swarm"):
            print(f"edgegui: swarm: {note}", file=sys.stderr)
    return 0


def _send_images(members: list[Any], bundle: Path, images: list[str]) -> None:
    """Every node gets the images (no registry on site); the bundle is read once."""
    from edgegui.core.bundle import SharedBundle
    from edgegui.core.deploy.remote_state import home_dir
    from edgegui.core.deploy.transfer import send_images

    with SharedBundle(bundle) as shared:
        shared.verify()

        def send(member: Any) -> None:
            transport = member.transport
            client = transport.docker_client()
            send_images(transport, client, shared, images, home=home_dir(transport))
            print(f"[{member.name}] images ready", file=sys.stderr)

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(send, members))
