"""Options shared by every verb that talks to a device, and JSON output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from edgegui.core.credentials import remember_password, saved_password
from edgegui.core.errors import TargetError
from edgegui.core.target import parse_target
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
    group.add_argument(
        "--save-password",
        action="store_true",
        help="remember the password in the OS keyring once the login worked",
    )
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
    elif getattr(args, "target", None):
        password = saved_password(_target_key(args.target))
    prompt = None
    interactive = sys.stdin.isatty()
    if not getattr(args, "accept_new_host_key", False) and interactive:
        prompt = _ask_host_key
    return TransportOptions(
        identity=getattr(args, "identity", None),
        password=password,
        known_hosts=getattr(args, "known_hosts", None),
        accept_new_host_key=getattr(args, "accept_new_host_key", False),
        host_key_prompt=prompt,
        password_prompt=_ask_password if interactive else None,
        use_agent=getattr(args, "use_agent", False),
        ssh_config=getattr(args, "ssh_config", None),
        user=getattr(args, "user", None),
        connect_timeout=getattr(args, "connect_timeout", 15.0),
        notice=_print_notice,
    )


def _print_notice(message: str) -> None:
    print(f"edgegui: note: {message}", file=sys.stderr)


def _ask_host_key(host: str, key_type: str, fingerprint: str) -> bool:
    print(f"The authenticity of host {host} can't be established.", file=sys.stderr)
    print(f"{key_type} key fingerprint is {fingerprint}.", file=sys.stderr)
    sys.stderr.write("Accept this key and continue connecting (yes/no)? ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("yes", "y")


def _ask_password(where: str) -> str | None:
    return getpass.getpass(f"Password for {where}: ") or None


def _target_key(target: str) -> str:
    """The keyring entry name: the normalised target URI."""
    try:
        return str(parse_target(target))
    except TargetError:
        return target


def connect(args: argparse.Namespace) -> Transport:
    """Open the transport for ``args.target`` with the connection options."""
    options = transport_options(args)
    transport = make_transport(args.target, options)
    transport.open()
    if getattr(args, "save_password", False):
        if options.password is None:
            transport.close()
            raise TargetError("--save-password: no password was given (--password-env VAR)")
        remember_password(_target_key(args.target), options.password)
    return transport


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, sort_keys=True, default=str)
    sys.stdout.write("\n")
