"""Options shared by every verb that talks to a device, and JSON output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from edgegui.core.credentials import remember_password, saved_password
from edgegui.core.errors import TargetError
from edgegui.core.target import parse_target
from edgegui.core.transport.base import Transport
from edgegui.core.transport.control import control_supported, persist_seconds
from edgegui.core.transport.factory import TransportOptions, make_transport


def transport_options(args: argparse.Namespace) -> TransportOptions:
    password = None
    target = getattr(args, "target", None)
    if getattr(args, "password_env", None):
        password = os.environ.get(args.password_env)
        if password is None:
            raise TargetError(f"--password-env: environment variable {args.password_env} is unset")
    elif target and target.lower().startswith("serial:"):
        # A serial login needs it up front; SSH asks only when no key worked (keyring is
        # slow), and local:// never logs in.
        password = saved_password(_target_key(target))
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
        password_prompt=_password_source(target, interactive),
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


def _password_source(target: str | None, interactive: bool) -> Callable[[str], str | None]:
    """Asked by SSH once keys failed: the keyring's saved password, else the user (on a tty)."""

    def password(where: str) -> str | None:
        saved = saved_password(_target_key(target)) if target else None
        if saved is None and interactive:
            return getpass.getpass(f"Password for {where}: ") or None
        return saved

    return password


def _target_key(target: str) -> str:
    """The keyring entry name: the normalised target URI."""
    try:
        return str(parse_target(target))
    except TargetError:
        return target


def connect(args: argparse.Namespace) -> Transport:
    """Open the transport for ``args.target`` with the connection options.

    With ``--control-persist S`` (or $EDGEGUI_CONTROL_PERSIST) an SSH target reuses the
    connection a background master keeps; without one, this command connects itself and
    starts a master for the next commands.
    """
    options = transport_options(args)
    target = parse_target(args.target)
    persist = 0.0
    if target.scheme == "ssh":
        persist = persist_seconds(getattr(args, "control_persist", None))
    if persist and control_supported():
        from edgegui.core.transport.control_client import attach, control_socket, start_master

        path = control_socket(target, options)
        kept = attach(target, path)
        if kept is not None:
            return kept
        options.password_prompt = _remembered(options)
    transport = make_transport(target, options)
    transport.open()
    if getattr(args, "save_password", False):
        if options.password is None:
            transport.close()
            raise TargetError("--save-password: no password was given (--password-env VAR)")
        remember_password(_target_key(args.target), options.password)
    if persist and control_supported():
        start_master(target, options, path, persist)
    return transport


def _remembered(options: TransportOptions) -> Callable[[str], str | None]:
    """The password prompt, keeping what it answered for the master to log in with too."""
    ask = options.password_prompt

    def prompt(where: str) -> str | None:
        answer = ask(where) if ask else None
        if answer is not None:
            options.password = answer
        return answer

    return prompt


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, sort_keys=True, default=str)
    sys.stdout.write("\n")
