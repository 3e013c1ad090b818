"""Every verb's name, help and options, without the code that runs it.

Each function below adds one verb (listed under its name in ``VERBS``) to the parser and
names its handler as ``"module:function"``; ``main.py`` imports that module only when the
verb is chosen. Keep this module free of imports beyond argparse and
``edgegui.cli.options`` so that ``edgegui --help`` stays fast
(tests/cli/test_lazy_imports.py checks it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from edgegui.cli import verbs_more
from edgegui.cli.options import (
    add_connection_options,
    add_json_option,
    add_target,
    add_template_options,
    add_value_options,
    seconds,
)

Subparsers = Any  # argparse._SubParsersAction, which argparse does not export

# The formats of edgegui.core.templates.FORMATS (a unit test keeps the two equal).
RENDER_FORMATS = ("compose", "swarm", "k8s")


def _verb(verbs: Subparsers, name: str, handler: str, **kwargs: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = verbs.add_parser(name, **kwargs)
    parser.set_defaults(handler=handler)
    return parser


def _device_verb(
    verbs: Subparsers,
    name: str,
    handler: str,
    *,
    deploy: bool = False,
    optional: bool = False,
    json: bool = True,
    **kwargs: Any,
) -> argparse.ArgumentParser:
    """A verb that talks to a device: TARGET, --json and the connection options; the
    caller adds the verb's own."""
    parser = _verb(verbs, name, handler, **kwargs)
    add_target(parser, optional=optional, deploy=deploy)
    if json:
        add_json_option(parser)
    add_connection_options(parser)
    return parser


def gui(verbs: Subparsers) -> None:
    parser = _verb(
        verbs, "gui", "edgegui.cli.gui_cmd:run_gui", help="start the desktop application (default)"
    )
    parser.add_argument(
        "--device", default="local://", help="device to select at start (default: this computer)"
    )
    parser.add_argument(
        "--quit-after",
        type=seconds,
        metavar="SECONDS",
        help="close the window SECONDS after it is shown (smoke tests of an installed app)",
    )


def exec_(verbs: Subparsers) -> None:
    parser = _device_verb(
        verbs,
        "exec",
        "edgegui.cli.exec_cmd:run_exec",
        help="run a command on a device",
        usage="edgegui exec TARGET [options] -- CMD …",
        json=False,
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds (default 600)")


def ports(verbs: Subparsers) -> None:
    parser = _verb(
        verbs, "ports", "edgegui.cli.ports_cmd:run_ports", help="list local serial ports"
    )
    add_json_option(parser)


def discover(verbs: Subparsers) -> None:
    parser = _device_verb(
        verbs,
        "discover",
        "edgegui.cli.discover_cmd:run_discover",
        help="list a device's system, Docker engine and plugged-in hardware",
        description="Probe a device once (one remote command) and print its inventory.",
        optional=True,
    )
    parser.add_argument(
        "--from", dest="from_file", type=Path, metavar="FILE", help="parse a saved probe output"
    )
    parser.add_argument("--save", type=Path, metavar="FILE", help="keep the raw probe output")
    parser.add_argument(
        "--preflight", action="store_true", help="run the preflight checks (exit 1 on a failure)"
    )


def templates(verbs: Subparsers) -> None:
    parser = verbs.add_parser("templates", help="list and show industry templates and add-ons")
    actions = parser.add_subparsers(dest="templates_action", metavar="ACTION", required=True)
    listing = _verb(
        actions,
        "list",
        "edgegui.cli.templates_cmd:run_list",
        help="list built-in and user templates and add-ons",
    )
    add_json_option(listing)
    show = _verb(
        actions,
        "show",
        "edgegui.cli.templates_cmd:run_show",
        help="show a template's parameters, slots and waivers",
    )
    show.add_argument("name", help="template or add-on name, or a template file")
    add_json_option(show)


def render(verbs: Subparsers) -> None:
    parser = _verb(
        verbs,
        "render",
        "edgegui.cli.templates_cmd:run_render",
        help="render a template to Compose, Swarm or Kubernetes",
    )
    parser.add_argument("name", help="template name or template file")
    add_value_options(parser)
    parser.add_argument("--inventory", type=Path, metavar="FILE", help="discovery inventory (JSON)")
    parser.add_argument("--format", choices=RENDER_FORMATS, default="compose")
    parser.add_argument(
        "--bundle", type=Path, metavar="FILE", help="image bundle (with --pin-digests)"
    )
    parser.add_argument(
        "--pin-digests",
        action="store_true",
        help="pin every image to its digest in --bundle (image@sha256:…)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write FILE, with configs/ and secrets/ beside it",
    )
    add_json_option(parser)


def status(verbs: Subparsers) -> None:
    parser = _device_verb(
        verbs,
        "status",
        "edgegui.cli.status_cmd:run_status",
        help="show stacks, containers, device load and alerts",
        description="One status snapshot of a device; Docker events since the last look.",
    )
    parser.add_argument("--watch", action="store_true", help="refresh until Ctrl-C (adds CPU %%)")
    parser.add_argument(
        "--interval", type=float, default=2.0, metavar="S", help="--watch period (default 2 s)"
    )
    parser.add_argument(
        "--since", help="events since 10m, 2h, an epoch or ISO time (default: the last look)"
    )
    parser.add_argument("--disk-threshold", type=float, default=90.0, metavar="PERCENT")
    parser.add_argument("--temp-threshold", type=float, default=85.0, metavar="CELSIUS")


def logs(verbs: Subparsers) -> None:
    parser = _device_verb(
        verbs,
        "logs",
        "edgegui.cli.logs_cmd:run_logs",
        help="show or follow a container's log",
        description="Print a container's log lines (stdout and stderr), optionally filtered.",
    )
    parser.add_argument("container", help="container name or id")
    parser.add_argument("-f", "--follow", action="store_true", help="keep printing new lines")
    parser.add_argument("--since", help="only lines since 10m, 2h, an epoch or ISO time")
    parser.add_argument("--tail", type=int, metavar="N", help="start with the last N lines")
    parser.add_argument(
        "--grep", metavar="REGEX", help="only lines matching this regular expression"
    )


def diagnose(verbs: Subparsers) -> None:
    parser = _device_verb(
        verbs,
        "diagnose",
        "edgegui.cli.diagnose_cmd:run_diagnose",
        help="collect a redacted diagnostics bundle, or open one offline",
        description="Collect a diagnostics bundle (tar.gz) with secrets redacted.",
        optional=True,
    )
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="bundle to write")
    parser.add_argument("--open", type=Path, metavar="FILE", help="show a bundle offline")
    parser.add_argument("--show", metavar="MEMBER", help="with --open: print one member")
    parser.add_argument(
        "--log-lines", type=int, default=200, metavar="N", help="log lines per container"
    )
    parser.add_argument(
        "--secret-env",
        action="append",
        default=[],
        metavar="VAR",
        help="redact the value of environment variable VAR (repeatable)",
    )
    parser.add_argument(
        "--secret-file", type=Path, metavar="FILE", help="redact every line of FILE"
    )


def bundle(verbs: Subparsers) -> None:
    parser = verbs.add_parser("bundle", help="make and check offline image bundles")
    actions = parser.add_subparsers(dest="bundle_action", metavar="ACTION", required=True)
    create = _verb(
        actions,
        "create",
        "edgegui.cli.bundle_cmd:run_create",
        help="pack images from this computer's Docker Engine",
    )
    create.add_argument("--template", metavar="NAME", help="take the template's images")
    create.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE")
    create.add_argument("--image", action="append", default=[], metavar="REF")
    create.add_argument(
        "--archive", action="append", default=[], type=Path, metavar="FILE", help="docker save"
    )
    create.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    create.add_argument("--sign", type=Path, metavar="KEY", help="ed25519 private key (PEM)")
    add_json_option(create)
    verify = _verb(
        actions,
        "verify",
        "edgegui.cli.bundle_cmd:run_verify",
        help="check a bundle's digests and signature",
    )
    verify.add_argument("file", type=Path)
    verify.add_argument("--public-key", type=Path, metavar="FILE", help="require this signer")
    add_json_option(verify)
    keygen = _verb(
        actions,
        "keygen",
        "edgegui.cli.bundle_cmd:run_keygen",
        help="make an ed25519 key pair for signing",
    )
    keygen.add_argument("private", type=Path)
    keygen.add_argument("public", type=Path)


def deploy(verbs: Subparsers) -> None:
    parser = _device_verb(
        verbs,
        "deploy",
        "edgegui.cli.deploy_cmd:run_deploy",
        help="deploy a template's stack to a device (health-gated, rolled back on failure)",
        deploy=True,
    )
    add_template_options(parser)
    parser.add_argument("--stack", help="stack (Compose project) name; default: the template's")
    parser.add_argument("--bundle", type=Path, metavar="FILE", help="image bundle to send from")
    parser.add_argument(
        "--inventory",
        type=Path,
        metavar="FILE",
        help="use this saved inventory (discover --json) instead of discovering the device",
    )
    parser.add_argument(
        "--public-key", type=Path, metavar="FILE", help="require the bundle signed by this key"
    )
    parser.add_argument(
        "--daemon-profile", metavar="NAME", help="apply a Docker daemon profile first (edge)"
    )
    parser.add_argument(
        "--health-timeout", type=float, default=120.0, metavar="S", help="seconds (default 120)"
    )


def rollback(verbs: Subparsers) -> None:
    parser = _device_verb(
        verbs,
        "rollback",
        "edgegui.cli.rollback_cmd:run_rollback",
        help="go back to a stack's previous version",
        deploy=True,
    )
    parser.add_argument("--stack", required=True, help="stack (Compose project) name")


def remove(verbs: Subparsers) -> None:
    parser = _device_verb(
        verbs,
        "remove",
        "edgegui.cli.remove_cmd:run_remove",
        help="remove a stack's containers (and, with --volumes, its data)",
        deploy=True,
    )
    parser.add_argument("--stack", required=True, help="stack (Compose project) name")
    parser.add_argument(
        "--volumes", action="store_true", help="also delete the stack's named volumes (its data)"
    )
    parser.add_argument("--yes", action="store_true", help="do not ask before deleting volumes")


def control(verbs: Subparsers) -> None:
    parser = _verb(
        verbs,
        "control",
        "edgegui.cli.control_cmd:run_control",
        help="list or stop the SSH connections kept by --control-persist",
    )
    parser.add_argument(
        "action",
        choices=("list", "stop", "serve"),
        help="list them, stop them (all, or TARGET's); serve is the background master itself",
    )
    parser.add_argument("target", nargs="?", help="with stop: only this device's connection")
    add_json_option(parser)


# By name, in the order `edgegui --help` lists them.
VERBS: dict[str, Callable[[Subparsers], None]] = {
    "gui": gui,
    "exec": exec_,
    "ports": ports,
    "discover": discover,
    "templates": templates,
    "render": render,
    "status": status,
    "logs": logs,
    "diagnose": diagnose,
    "bundle": bundle,
    "deploy": deploy,
    "rollback": rollback,
    "remove": remove,
    "docker-access": verbs_more.docker_access,
    "report": verbs_more.report,
    "audit": verbs_more.audit,
    "hostkeys": verbs_more.hostkeys,
    "fleet": verbs_more.fleet,
    "lan": verbs_more.lan,
    "swarm": verbs_more.swarm,
    "k8s": verbs_more.k8s,
    "control": control,
}
