"""``edgegui audit list [--device D]`` and ``edgegui audit verify``: the hash-chained log."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from edgegui.cli.common import print_json


def run_list(args: argparse.Namespace) -> int:
    from edgegui.core.audit import AuditLog, device_key

    entries = AuditLog().entries(device_key(args.device) if args.device else None)
    if args.limit > 0:
        entries = entries[-args.limit :]
    if args.json:
        print_json([entry.to_dict() for entry in entries])
        return 0
    if not entries:
        print("no audit entries" + (f" for {args.device}" if args.device else ""))
    for entry in entries:
        when = entry.at[:19].replace("T", " ")
        print(f"#{entry.seq:<4} {when}Z  {entry.action:<18} {entry.device:<22} {entry.summary()}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from edgegui.core.audit import AuditLog, default_audit_path

    report = AuditLog().verify()
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "head": {"seq": report.head.seq, "hash": report.head.hash},
                "problems": [asdict(p) for p in report.problems],
            }
        )
    elif report.ok:
        print(
            f"audit trail intact: {report.entries} entries, head #{report.head.seq} "
            f"sha256:{report.head.hash[:16]}… ({default_audit_path()})"
        )
    else:
        for problem in report.problems:
            print(f"{problem.kind.upper():<10} {problem.message}")
    if report.ok:
        return 0
    kinds = sorted({p.kind for p in report.problems})
    print(
        f"edgegui: audit trail tampered: {len(report.problems)} entries "
        f"{'/'.join(kinds)} ({default_audit_path()})",
        file=sys.stderr,
    )
    return 1
