"""Option groups that several verbs share. Only argparse here: the parser is built from these
before any verb runs, so importing this module must stay cheap (see ``main.py``)."""

from __future__ import annotations

import argparse
from pathlib import Path

TARGET_HELP = "ssh://user@host[:port], serial:///dev/ttyUSB0, local://"
DEPLOY_TARGET_HELP = "ssh://user@host[:port] or local://"


def add_target(
    parser: argparse.ArgumentParser, *, optional: bool = False, deploy: bool = False
) -> None:
    """The positional TARGET of a verb that talks to a device."""
    parser.add_argument(
        "target",
        nargs="?" if optional else None,
        help=DEPLOY_TARGET_HELP if deploy else TARGET_HELP,
    )


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
    group.add_argument(
        "--control-persist",
        type=float,
        metavar="S",
        help="SSH: keep the connection S seconds after this command for the next ones to reuse "
        "(like OpenSSH ControlPersist; 0 = off; default $EDGEGUI_CONTROL_PERSIST or off)",
    )


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def add_value_options(parser: argparse.ArgumentParser) -> None:
    """Template values: --set, --set-env, --bind and --addon."""
    parser.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument(
        "--set-env",
        action="append",
        default=[],
        metavar="NAME=VAR",
        help="take parameter NAME from environment variable VAR (for secrets)",
    )
    parser.add_argument("--bind", action="append", default=[], metavar="SLOT=PATH")
    parser.add_argument(
        "--addon", action="append", default=[], metavar="NAME", help="add an add-on"
    )


def add_template_options(parser: argparse.ArgumentParser) -> None:
    """The template (required) and its values."""
    parser.add_argument("--template", required=True, metavar="NAME", help="template or file")
    add_value_options(parser)


def seconds(text: str) -> float:
    """An argparse type: a number of seconds from 0 to a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value <= 86_400:
        raise argparse.ArgumentTypeError(f"must be between 0 and 86400 seconds: {text!r}")
    return value
