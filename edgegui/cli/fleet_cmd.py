"""``edgegui fleet deploy|status --devices devices.csv``: many devices at once."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from edgegui.cli.common import print_json


def run_fleet_deploy(args: argparse.Namespace) -> int:
    from edgegui.cli.template_args import template_bindings, template_values
    from edgegui.core.fleet import FleetPlan, run_fleet
    from edgegui.core.fleet.devices_csv import devices_for_template
    from edgegui.core.templates import load_template

    template = load_template(args.template)
    values = template_values(args, template)
    devices = devices_for_template(args.devices, template, frozenset(values))
    reports = None
    if not args.no_reports:
        reports = args.reports or args.devices.with_name(f"{args.devices.stem}-reports")
    plan = FleetPlan(
        template=template,
        stack=args.stack or template.name,
        values=values,
        bindings=template_bindings(args),
        addons=tuple(args.addon),
        public_key=args.public_key,
        health_timeout=args.health_timeout,
        report_dir=reports,
        report_format=f".{args.report_format}",
        technician=args.technician,
        customer=args.customer,
        accept_new_host_key=args.accept_new_host_key,
        connect_timeout=args.connect_timeout,
    )
    summary = run_fleet(
        devices, plan, bundle=args.bundle, parallel=args.parallel, listener=_print_event
    )
    if plan.report_format == ".pdf":
        _write_pdfs(summary)
    if args.json:
        print_json(summary.to_dict())
    else:
        _print_summary(summary)
    return 0 if summary.ok else 1


def _print_event(event: Any) -> None:
    if event.state == "sending" and event.total:
        text = f"{event.done / 1e6:.1f}/{event.total / 1e6:.1f} MB"
    else:
        text = event.message
    print(f"[{event.device}] {event.state}{': ' + text if text else ''}", file=sys.stderr)


def _write_pdfs(summary: Any) -> None:
    """PDFs are laid out by Qt, on this (the main) thread, once every device is done."""
    from edgegui.report_pdf import save_report

    for outcome in summary.outcomes:
        if outcome.report is not None and outcome.report_path is not None:
            save_report(outcome.report, outcome.report_path)


def _print_summary(summary: Any) -> None:
    rows = [("DEVICE", "RESULT", "TIME", "SENT", "REPORT")]
    for o in summary.outcomes:
        sent = f"{o.bytes_sent / 1e6:.1f} MB" if o.bytes_sent else "-"
        report = str(o.report_path) if o.report_path else "-"
        rows.append((o.name, o.result, f"{o.duration_s:.1f} s", sent, report))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    for o in summary.outcomes:
        if o.reason and o.result == "failed":
            print(f"edgegui: {o.name}: {o.reason}", file=sys.stderr)
        for note in o.notes:
            print(f"edgegui: note: {o.name}: {note}", file=sys.stderr)
    failed = sum(1 for o in summary.outcomes if not o.ok)
    reads = summary.bundle_reads
    bundle = ""
    if reads:
        bundle = f"; bundle: {reads['bytes_read'] / 1e6:.1f} MB read from disk"
        if reads["blobs_read_more_than_once"]:
            bundle += f" ({len(reads['blobs_read_more_than_once'])} blobs read again)"
    print(f"{len(summary.outcomes)} devices, {failed} failed, {summary.duration_s:.1f} s{bundle}")


def run_fleet_status(args: argparse.Namespace) -> int:
    from edgegui.core.fleet import fleet_status, read_devices

    devices = read_devices(args.devices)
    states = fleet_status(
        devices,
        args.stack,
        accept_new_host_key=args.accept_new_host_key,
        connect_timeout=args.connect_timeout,
    )
    if args.json:
        print_json([s.to_dict() for s in states])
    else:
        for state in states:
            print(state.line())
    return 0 if all(s.reachable for s in states) else 1
