"""``edgegui report TARGET [--stack NAME] -o FILE.pdf|.html|.json``: the handover report."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from edgegui.cli.common import connect


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
