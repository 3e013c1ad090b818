"""``edgegui diagnose TARGET -o FILE.tar.gz`` and ``edgegui diagnose --open FILE``.

The bundle holds inventory, status, docker info, redacted inspect output, recent logs,
dmesg, disks, network and the engine's journal. Secret values to redact come from the
environment (``--secret-env``) or a file (``--secret-file``), never from the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from edgegui.cli.common import connect, print_json
from edgegui.core.diagnose import DiagnosticsError, collect_diagnostics, open_diagnostics
from edgegui.core.errors import TargetError
from edgegui.core.events import Progress

MAX_SECRET_FILE = 1024 * 1024


def run_diagnose(args: argparse.Namespace) -> int:
    if args.open:
        if args.target or args.output:
            raise TargetError("diagnose --open FILE works offline: give no TARGET or -o")
        return _open(args)
    if not args.target or not args.output:
        raise TargetError("diagnose: give TARGET and -o FILE.tar.gz (or --open FILE)")
    secrets = _secret_values(args)
    transport = connect(args)
    try:
        path = collect_diagnostics(
            transport,
            args.output,
            log_lines=args.log_lines,
            secret_values=secrets,
            progress=None if args.json else _print_progress,
        )
    finally:
        transport.close()
    manifest = open_diagnostics(path)["manifest"]
    if args.json:
        print_json({"path": str(path), "manifest": manifest})
    else:
        print(f"wrote {path} ({len(manifest['members'])} files, {manifest['masked']} masked)")
        for what, problem in sorted(manifest["errors"].items()):
            print(f"  incomplete: {what}: {problem}")
    return 0


def _secret_values(args: argparse.Namespace) -> list[str]:
    values = []
    for var in args.secret_env:
        value = os.environ.get(var)
        if value is None:
            raise TargetError(f"--secret-env: environment variable {var} is unset")
        values.append(value)
    if args.secret_file:
        try:
            with args.secret_file.open("rb") as handle:
                data = handle.read(MAX_SECRET_FILE + 1)
        except OSError as exc:
            raise TargetError(f"--secret-file {args.secret_file}: {exc.strerror}") from None
        if len(data) > MAX_SECRET_FILE:
            raise TargetError(f"--secret-file {args.secret_file}: larger than 1 MiB")
        values += [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    return values


def _print_progress(event: Progress) -> None:
    print(f"[{event.done}/{event.total}] {event.message}", file=sys.stderr)


def _open(args: argparse.Namespace) -> int:
    bundle = open_diagnostics(args.open)
    members = bundle["members"]
    if args.show:
        if args.show not in members:
            raise DiagnosticsError(f"{args.open}: no member {args.show} (see the list)")
        content = members[args.show]
        if args.json or not isinstance(content, str):
            print_json(content)
        else:
            sys.stdout.write(content if content.endswith("\n") else content + "\n")
        return 0
    if args.json:
        print_json(bundle)
        return 0
    sys.stdout.write(render_bundle(bundle))
    return 0


def render_bundle(bundle: dict[str, Any]) -> str:
    """A readable summary of an opened bundle: where, when, what is wrong, what is inside."""
    m, members = bundle["manifest"], bundle["members"]
    lines = [
        f"Diagnostics of {m.get('target')} over {m.get('transport')}, "
        f"{m.get('created_utc')} ({m.get('tool')})",
        f"{m.get('masked', 0)} secret values masked; {m.get('log_lines')} log lines per container",
    ]
    status = members.get("status.json")
    if isinstance(status, dict):
        lines.append("Containers" if status.get("stacks") else "Containers: none")
        for stack in status.get("stacks", []):
            for c in stack.get("containers", []):
                oom = " OOM" if c.get("oom_killed") else ""
                lines.append(
                    f"  {stack.get('name') or '-':<14} {c.get('name'):<28} {c.get('state')}{oom} "
                    f"restarts {c.get('restarts')}"
                )
        lines.append("Alerts")
        lines += [f"  {a['severity']}: {a['message']}" for a in status.get("alerts", [])] or [
            "  none"
        ]
    if m.get("errors"):
        lines.append("Incomplete")
        lines += [f"  {k}: {v}" for k, v in sorted(m["errors"].items())]
    lines.append("Files (show one with --show NAME)")
    for name in sorted(members):
        content = members[name]
        size = len(content if isinstance(content, str) else json.dumps(content))
        lines.append(f"  {name:<52} {size:>9} B")
    return "\n".join(lines) + "\n"
