"""``edgegui k8s apply TARGET --template NAME``: the stack on the device's own K3s."""

from __future__ import annotations

import argparse
import sys

from edgegui.cli.common import connect, print_json


def run_apply(args: argparse.Namespace) -> int:
    from edgegui.cli.template_args import render_for_device, template_bindings, template_values
    from edgegui.core.deploy.remote_state import check_stack_name
    from edgegui.core.discovery import probe_inventory
    from edgegui.core.orchestrate.k8s import apply_stack, find_kubectl
    from edgegui.core.templates import load_template

    template = load_template(args.template)
    values = template_values(args, template)
    namespace = check_stack_name(args.namespace or template.name)
    transport = connect(args)
    try:
        kubectl = find_kubectl(transport)  # preflight: nothing is rendered or sent without it
        print(f"preflight: {' '.join(kubectl)} reaches the cluster", file=sys.stderr)
        inventory = probe_inventory(transport).to_dict()
        # As deploy does: self-bound slots and the engine's limits are said, not silent.
        rendered = render_for_device(
            transport, template, values, template_bindings(args), args, inventory
        )
        rendered.check_format("k8s")
        applied = apply_stack(transport, rendered, namespace, inventory)
    finally:
        transport.close()
    if args.json:
        print_json(applied.to_dict())
        return 0
    labels = ", ".join(f"{k}={v}" for k, v in applied.labels.items()) or "none"
    print(f"node {applied.node or '-'}: labels {labels}")
    for line in applied.output:
        print(line)
    for note in applied.notes:
        print(f"edgegui: note: {note}", file=sys.stderr)
    return 0
