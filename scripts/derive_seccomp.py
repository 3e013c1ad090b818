#!/usr/bin/env python3
"""Derive EdgeGUI's seccomp profiles from Docker's default profile.

    scripts/derive_seccomp.py PATH/TO/moby/profiles/seccomp/default.json [--check]

Writes resources/seccomp/edge-default.json and edge-clock.json (``--check`` only compares).
The input is moby/moby ``profiles/seccomp/default.json``; SOURCE below names the commit the
committed profiles came from and the sha256 of its canonical JSON, so the output is
reproducible byte for byte from that file.

What changes, and why:
- Syscalls an edge service has no business making are removed from every rule, including
  the rules Docker opens for a capability (a service that adds SYS_ADMIN still cannot mount).
- clone is always restricted to no-namespace flags and clone3 always answers ENOSYS, instead
  of both opening up with CAP_SYS_ADMIN.
- Rules for architectures EdgeGUI does not deploy to (s390, ppc64le, mips, riscv) are dropped.
  What is left means the same to a reader that ignores ``includes``/``excludes`` (containerd's
  Kubernetes path reads the file as a plain OCI profile): the only conditional rules left are
  capability-gated, and the kernel checks the same capability for those syscalls.
- edge-clock is edge-default plus clock setting for a service that holds CAP_SYS_TIME.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

SOURCE = {
    "repository": "moby/moby",
    "path": "profiles/seccomp/default.json",
    "commit": "00f3d189e420d485e42d15fe494f96d272284e0e",
    # sha256 of that file as sorted, compact JSON (see canonical_digest)
    "canonical_sha256": "9af8d3aeaa836af0b750afd7ecdb490df8e04c47ca820f472794252396eaa6ea",
}
OUT = Path(__file__).resolve().parents[1] / "resources" / "seccomp"
KEPT_ARCHES = {"amd64", "x32", "x86", "arm", "arm64"}
KEPT_ARCH_MAP = {"SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"}

# Removed from every rule, by reason (the README's feature list repeats these groups).
REMOVED = {
    "kernel modules": ["init_module", "finit_module", "delete_module"],
    "kexec and reboot": ["kexec_load", "kexec_file_load", "reboot"],
    "mounting": [
        "mount",
        "umount",
        "umount2",
        "mount_setattr",
        "move_mount",
        "open_tree",
        "fsopen",
        "fsconfig",
        "fsmount",
        "fspick",
        "pivot_root",
    ],
    "namespaces": ["unshare", "setns"],
    "ptrace and other processes' memory": [
        "ptrace",
        "process_vm_readv",
        "process_vm_writev",
        "process_madvise",
        "kcmp",
        "pidfd_getfd",
    ],
    "bpf": ["bpf"],
    "perf": ["perf_event_open", "lookup_dcookie"],
    "clock setting": [
        "settimeofday",
        "stime",
        "clock_settime",
        "clock_settime64",
        "adjtimex",
        "clock_adjtime",
        "clock_adjtime64",
    ],
    "io_uring": ["io_uring_setup", "io_uring_enter", "io_uring_register"],
    "host administration": [
        "sethostname",
        "setdomainname",
        "syslog",
        "acct",
        "quotactl",
        "quotactl_fd",
        "fanotify_init",
        "iopl",
        "ioperm",
        "open_by_handle_at",
        "swapon",
        "swapoff",
    ],
}
CLOCK_RULE = {
    "names": REMOVED["clock setting"],
    "action": "SCMP_ACT_ALLOW",
    "comment": "edge-clock: clock setting for a service that holds CAP_SYS_TIME",
    "includes": {"caps": ["CAP_SYS_TIME"]},
}


def canonical_digest(profile: dict[str, Any]) -> str:
    """sha256 of the profile as sorted, compact JSON: independent of the file's formatting."""
    text = json.dumps(profile, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def removed_names() -> set[str]:
    return {name for names in REMOVED.values() for name in names}


def _for_kept_arches(rule: dict[str, Any]) -> bool:
    arches = (rule.get("includes") or {}).get("arches")
    return not arches or bool(KEPT_ARCHES & set(arches))


def _unconditional_restriction(rule: dict[str, Any]) -> dict[str, Any]:
    """clone/clone3 rules that Docker lifts for CAP_SYS_ADMIN apply to every container."""
    rule = copy.deepcopy(rule)
    excludes = rule.pop("excludes", {}) or {}
    leftover = {k: v for k, v in excludes.items() if k not in ("caps", "arches")}
    if leftover:
        rule["excludes"] = leftover
    return rule


def derive(docker_default: dict[str, Any], *, clock: bool = False) -> dict[str, Any]:
    """The edge profile from Docker's default (``clock``: the edge-clock variant)."""
    drop = removed_names()
    syscalls = []
    for rule in docker_default["syscalls"]:
        if not _for_kept_arches(rule):
            continue
        names = [n for n in rule["names"] if n not in drop]
        if not names:
            continue
        rule = copy.deepcopy(rule)
        caps = (rule.get("includes") or {}).get("caps", [])
        if "CAP_SYS_ADMIN" in caps:
            continue  # everything Docker opens for SYS_ADMIN stays closed (clone: see below)
        if "CAP_SYS_ADMIN" in (rule.get("excludes") or {}).get("caps", []):
            rule = _unconditional_restriction(rule)
        if (rule.get("includes") or {}).get("minKernel"):
            raise SystemExit(f"unexpected minKernel rule left for {names}: review the input")
        rule["names"] = names
        syscalls.append(rule)
    if clock:
        syscalls.append(copy.deepcopy(CLOCK_RULE))
    return {
        "defaultAction": docker_default["defaultAction"],
        "defaultErrnoRet": docker_default.get("defaultErrnoRet", 1),
        "archMap": [
            entry
            for entry in docker_default.get("archMap", [])
            if entry["architecture"] in KEPT_ARCH_MAP
        ],
        "syscalls": syscalls,
    }


def render(profile: dict[str, Any]) -> str:
    return json.dumps(profile, indent=1) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docker_default", type=Path, help="moby's profiles/seccomp/default.json")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    source = json.loads(args.docker_default.read_text(encoding="utf-8"))
    digest = canonical_digest(source)
    if digest != SOURCE["canonical_sha256"]:
        print(
            f"note: input {digest} is not the recorded {SOURCE['commit'][:12]} profile; "
            "update SOURCE when you mean to move to it",
            file=sys.stderr,
        )
    outputs = {
        "edge-default.json": render(derive(source)),
        "edge-clock.json": render(derive(source, clock=True)),
    }
    stale = []
    for name, text in outputs.items():
        path = OUT / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print(f"out of date: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
