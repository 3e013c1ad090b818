"""``edgegui report TARGET [--stack NAME] -o FILE.pdf|.html|.json``: the handover report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from edgegui.cli.common import add_connection_options, connect


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the handover report of a device (PDF, HTML or JSON)",
        description="Read the device now (hardware, preflight, stacks, hardening as the "
        "containers run, health, peripheral checks, audit trail) and write the report the "
        "technician leaves with the customer. The format follows the file's suffix.",
    )
    parser.add_argument("target", help="ssh://user@host[:port], serial:///dev/ttyUSB0, local://")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="report file: .pdf, .html or .json",
    )
    parser.add_argument("--stack", metavar="NAME", help="one stack (default: every stack)")
    parser.add_argument(
        "--technician",
        default="",
        metavar="NAME",
        help="who commissioned the device (default: this computer's user)",
    )
    parser.add_argument("--site", default="", metavar="TEXT", help="where the device is")
    parser.add_argument("--customer", default="", metavar="TEXT", help="who receives it")
    add_connection_options(parser)
    parser.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from edgegui.core.report import build_report, report_format
    from edgegui.report_pdf import save_report

    report_format(args.output)  # refuse a bad suffix before connecting
    transport = connect(args)
    try:
        report = build_report(
            transport,
            stack=args.stack,
            technician=args.technician,
            site=args.site,
            customer=args.customer,
            progress=_progress,
        )
    finally:
        transport.close()
    save_report(report, args.output)  # Qt is imported for a PDF only
    for problem in report.problems:
        print(f"edgegui: not in the report: {problem}", file=sys.stderr)
    failed = sum(
        1 for r in [*report.preflight, *report.health, *report.peripherals] if r.status == "fail"
    )
    summary = f"{failed} failed checks" if failed else "no failed checks"
    print(f"wrote {args.output} ({summary})")
    return 0


def _progress(event: Any) -> None:
    print(f"report: {event.message}", file=sys.stderr)
