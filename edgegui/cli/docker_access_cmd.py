"""``edgegui docker-access TARGET``: add the login user to the engine's group with sudo."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from edgegui.cli.common import connect, print_json
from edgegui.core.errors import TargetError


def run_docker_access(args: argparse.Namespace) -> int:
    from edgegui.core.discovery import probe_inventory
    from edgegui.core.engine_access import (
        EngineAccess,
        grant_engine_access,
        sudo_needs_password,
        user_in_group,
    )
    from edgegui.core.transport.engine import docker_argv

    # Our own login, never a kept one: the group counts only for sessions of a new login.
    args = argparse.Namespace(**{**vars(args), "control_persist": 0.0})
    transport = connect(args)
    try:
        inventory = probe_inventory(transport)
        user = inventory.system.user or transport.run(["id", "-un"]).text.strip()
        group = args.group or inventory.docker.socket_group or "docker"
        if user_in_group(transport, user, group):
            access = EngineAccess(user, group, already=True)
        else:
            password = _sudo_password(args, user) if sudo_needs_password(transport) else None
            access = grant_engine_access(transport, user, group, password)
            _stop_kept_connections(args.target)
        transport.close()
        transport.open()  # log in again (as services.grant_docker_access does)
        answers = transport.run(docker_argv(transport, ["version"]), timeout=30).ok
    finally:
        transport.close()
    if args.json:
        print_json({"user": access.user, "group": access.group, "already": access.already,
                    "engine_answers": answers})  # fmt: skip
    else:
        print(access.describe())
        print("the engine answers for " + user if answers else "the engine still refuses " + user)
    return 0 if answers else 1


def _sudo_password(args: argparse.Namespace, user: str) -> str:
    if args.sudo_password_env:
        value = os.environ.get(args.sudo_password_env)
        if value is None:
            raise TargetError(
                f"--sudo-password-env: environment variable {args.sudo_password_env} is unset"
            )
        return value
    if sys.stdin.isatty():
        return getpass.getpass(f"sudo password for {user} on {args.target}: ")
    raise TargetError(f"sudo asks for {user}'s password: give it with --sudo-password-env VAR")


def _stop_kept_connections(target: str) -> None:
    """Kept connections (--control-persist) logged in before the grant: stop them."""
    from edgegui.core.target import parse_target
    from edgegui.core.transport.control_client import ask, kept_masters

    for path, _info in kept_masters(str(parse_target(target))):
        ask(path, "stop")
