"""Options shared by every verb that talks to a device, and JSON output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from edgegui.core.errors import TargetError
from edgegui.core.transport.base import Transport
from edgegui.core.transport.factory import TransportOptions, make_transport


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument("--identity", "-i", type=Path, help="SSH private key file")
    group.add_argument(
        "--password-env", metavar="VAR", help="read the password from environment variable VAR"
    )
    group.add_argument("--known-hosts", type=Path, help="EdgeGUI known_hosts file to use")
    group.add_argument(
        "--accept-new-host-key",
        action="store_true",
        help="accept and record an unknown host key (a changed key is always refused)",
    )
    group.add_argument("--use-agent", action="store_true", help="allow keys from ssh-agent")
    group.add_argument("--ssh-config", type=Path, help="ssh config file (default ~/.ssh/config)")
    group.add_argument("--user", help="login user on a serial console")
    group.add_argument(
        "--connect-timeout", type=float, default=15.0, help="seconds to connect (default 15)"
    )


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def transport_options(args: argparse.Namespace) -> TransportOptions:
    password = None
    if getattr(args, "password_env", None):
        password = os.environ.get(args.password_env)
        if password is None:
            raise TargetError(f"--password-env: environment variable {args.password_env} is unset")
    prompt = None
    if not getattr(args, "accept_new_host_key", False) and sys.stdin.isatty():
        prompt = _ask_host_key
    return TransportOptions(
        identity=getattr(args, "identity", None),
        password=password,
        known_hosts=getattr(args, "known_hosts", None),
        accept_new_host_key=getattr(args, "accept_new_host_key", False),
        host_key_prompt=prompt,
        use_agent=getattr(args, "use_agent", False),
        ssh_config=getattr(args, "ssh_config", None),
        user=getattr(args, "user", None),
        connect_timeout=getattr(args, "connect_timeout", 15.0),
    )


def _ask_host_key(host: str, key_type: str, fingerprint: str) -> bool:
    print(f"The authenticity of host {host} can't be established.", file=sys.stderr)
    print(f"{key_type} key fingerprint is {fingerprint}.", file=sys.stderr)
    sys.stderr.write("Accept this key and continue connecting (yes/no)? ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("yes", "y")


def connect(args: argparse.Namespace) -> Transport:
    """Open the transport for ``args.target`` with the connection options."""
    transport = make_transport(args.target, transport_options(args))
    transport.open()
    return transport


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, sort_keys=True, default=str)
    sys.stdout.write("\n")
