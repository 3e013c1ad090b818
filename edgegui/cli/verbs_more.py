"""The options of the verbs for records, hand-over and fleets (see ``verbs.py``).

Split from ``verbs.py`` to keep modules small; the same rule holds: nothing but argparse and
``edgegui.cli.options`` is imported here, so that ``edgegui --help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from edgegui.cli.options import add_connection_options, add_json_option, add_template_options

Subparsers = Any  # argparse._SubParsersAction, which argparse does not export
REPORT_FORMATS = ("html", "pdf", "json")


def docker_access(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "docker-access",
        help="let the login user use the device's Docker Engine (sudo usermod -aG docker USER)",
    )
    parser.add_argument("target", help="ssh://user@host[:port], serial:///dev/ttyUSB0, local://")
    parser.add_argument("--group", help="group of the engine's socket (default: as discovered)")
    parser.add_argument(
        "--sudo-password-env", metavar="VAR", help="read sudo's password from environment VAR"
    )
    add_json_option(parser)
    add_connection_options(parser)
    parser.set_defaults(handler="edgegui.cli.docker_access_cmd:run_docker_access")


def report(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the handover report of a device (PDF, HTML or JSON)",
        description="Read the device now (hardware, preflight, stacks, hardening as the "
        "containers run, health, peripheral checks, audit trail) and write the report the "
        "technician leaves with the customer. The format follows the file's suffix.",
    )
    parser.add_argument("target", help="ssh://user@host[:port], serial:///dev/ttyUSB0, local://")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="report file: .pdf, .html or .json",
    )
    parser.add_argument("--stack", metavar="NAME", help="one stack (default: every stack)")
    parser.add_argument(
        "--technician",
        default="",
        metavar="NAME",
        help="who commissioned the device (default: this computer's user)",
    )
    parser.add_argument("--site", default="", metavar="TEXT", help="where the device is")
    parser.add_argument("--customer", default="", metavar="TEXT", help="who receives it")
    add_connection_options(parser)
    parser.set_defaults(handler="edgegui.cli.report_cmd:run_report")


def audit(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="list or verify the audit trail of device and trust changes",
        description="Every deploy, rollback, removal, daemon profile, accepted or pinned host "
        "key and saved password, in a hash-chained log under the user data folder.",
    )
    verbs = parser.add_subparsers(dest="audit_verb", metavar="list|verify", required=True)
    listing = verbs.add_parser("list", help="show the entries, oldest first")
    listing.add_argument(
        "--device", metavar="D", help="only this device: a target URI, address or serial port"
    )
    listing.add_argument("--limit", type=int, default=0, metavar="N", help="only the last N")
    add_json_option(listing)
    listing.set_defaults(handler="edgegui.cli.audit_cmd:run_list")
    verify = verbs.add_parser(
        "verify", help="check the chain; names each edited, deleted or reordered entry"
    )
    add_json_option(verify)
    verify.set_defaults(handler="edgegui.cli.audit_cmd:run_verify")


def hostkeys(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "hostkeys",
        help="pin a device's SSH host keys, read over its serial console",
        description="Read /etc/ssh/ssh_host_*_key.pub over a serial console and record the "
        "keys in EdgeGUI's known_hosts for the device's addresses: the first SSH connection "
        "is then verified without trust on first use. A different known key is refused.",
    )
    verbs = parser.add_subparsers(dest="hostkeys_verb", metavar="pin", required=True)
    pin = verbs.add_parser("pin", help="pin the keys for the device's SSH addresses")
    pin.add_argument("target", help="serial:///dev/ttyUSB0?baud=115200")
    pin.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="address SSH will use (repeatable; default: the addresses the device reports)",
    )
    pin.add_argument("--port", type=int, default=22, help="SSH port (default 22)")
    add_json_option(pin)
    add_connection_options(pin)
    pin.set_defaults(handler="edgegui.cli.hostkeys_cmd:run_pin")


def fleet(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("fleet", help="commission many devices from a CSV file")
    verbs = parser.add_subparsers(dest="fleet_verb", metavar="VERB", required=True)
    deploy = verbs.add_parser(
        "deploy",
        help="deploy a template to every device of the list, N at a time",
        description="Columns: target (required), name, site, identity, password_env, "
        "known_hosts, and template parameters by name (secrets as NAME_env). Devices "
        "already at this version are skipped; failed ones are tried again on a rerun.",
    )
    _fleet_common(deploy)
    add_template_options(deploy)
    deploy.add_argument("--stack", help="stack name (default: the template's)")
    deploy.add_argument("--bundle", type=Path, metavar="FILE", help="image bundle, read once")
    deploy.add_argument("--public-key", type=Path, metavar="FILE", help="bundle signer's key")
    deploy.add_argument("--parallel", type=int, default=4, metavar="N", help="default 4")
    deploy.add_argument(
        "--reports", type=Path, metavar="DIR", help="report folder (default: beside the CSV)"
    )
    deploy.add_argument("--report-format", choices=REPORT_FORMATS, default="html")
    deploy.add_argument("--no-reports", action="store_true", help="write no handover reports")
    deploy.add_argument("--technician", default="", metavar="NAME")
    deploy.add_argument("--customer", default="", metavar="TEXT")
    deploy.add_argument("--health-timeout", type=float, default=120.0, metavar="S")
    deploy.set_defaults(handler="edgegui.cli.fleet_cmd:run_fleet_deploy")
    status = verbs.add_parser("status", help="one line per device: its stacks and their state")
    _fleet_common(status)
    status.add_argument("--stack", help="one stack (default: every stack EdgeGUI keeps)")
    status.set_defaults(handler="edgegui.cli.fleet_cmd:run_fleet_status")


def _fleet_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--devices", type=Path, required=True, metavar="CSV", help="device list")
    parser.add_argument(
        "--accept-new-host-key",
        action="store_true",
        help="accept and record unknown host keys (a changed key is always refused)",
    )
    parser.add_argument("--connect-timeout", type=float, default=15.0, metavar="S")
    add_json_option(parser)


def lan(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("lan", help="find devices on the LAN (mDNS, SSH sweep)")
    verbs = parser.add_subparsers(dest="lan_verb", metavar="VERB", required=True)
    browse = verbs.add_parser(
        "browse", help="listen for _ssh._tcp, _workstation._tcp and _edgegui._tcp (mDNS)"
    )
    browse.add_argument("--timeout", type=float, default=3.0, metavar="S", help="default 3")
    add_json_option(browse)
    browse.set_defaults(handler="edgegui.cli.lan_cmd:run_browse")
    sweep = verbs.add_parser(
        "sweep",
        help="connect once to the SSH port of every address of SUBNET and read its banner",
        description="Rate-limited and bounded in time; subnets larger than a /22 need "
        "--allow-large. Vendors come from the MAC addresses in the neighbour (ARP) table.",
    )
    sweep.add_argument("subnet", help="e.g. 192.168.1.0/24")
    sweep.add_argument("--port", type=int, default=22)
    sweep.add_argument("--rate", type=float, default=50.0, metavar="N", help="per second")
    sweep.add_argument("--connect-timeout", type=float, default=1.0, metavar="S")
    sweep.add_argument("--time-limit", type=float, default=120.0, metavar="S")
    sweep.add_argument("--allow-large", action="store_true", help="allow up to a /16")
    add_json_option(sweep)
    sweep.set_defaults(handler="edgegui.cli.lan_cmd:run_sweep")


def swarm(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "swarm", help="form a Docker Swarm from devices and deploy to it"
    )
    verbs = parser.add_subparsers(dest="swarm_verb", metavar="VERB", required=True)
    form = verbs.add_parser(
        "form",
        help="init on the first device, join the others, label nodes from their hardware",
    )
    _swarm_devices(form)
    form.set_defaults(handler="edgegui.cli.swarm_cmd:run_form")
    deploy = verbs.add_parser(
        "deploy",
        help="form (or reuse) the swarm and deploy a template as a stack placed by hardware",
    )
    _swarm_devices(deploy)
    add_template_options(deploy)
    deploy.add_argument("--stack", help="stack name (default: the template's)")
    deploy.add_argument("--bundle", type=Path, metavar="FILE", help="images for every node")
    deploy.add_argument("--timeout", type=float, default=120.0, metavar="S")
    deploy.set_defaults(handler="edgegui.cli.swarm_cmd:run_deploy")


def _swarm_devices(parser: argparse.ArgumentParser) -> None:
    _fleet_common(parser)
    parser.add_argument(
        "--only", metavar="NAME,…", help="these devices of the list (the first one manages)"
    )


def k8s(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("k8s", help="hand a stack to the device's K3s/Kubernetes")
    verbs = parser.add_subparsers(dest="k8s_verb", metavar="VERB", required=True)
    apply = verbs.add_parser(
        "apply",
        help="label the node from its hardware and kubectl apply the rendered manifests",
        description="Uses the device's own kubectl or 'k3s kubectl' over SSH; preflight "
        "says in one line when the device has neither. Secrets travel on stdin.",
    )
    apply.add_argument("target", help="ssh://user@host[:port]")
    add_template_options(apply)
    apply.add_argument("--namespace", metavar="NS", help="default: the template's name")
    add_json_option(apply)
    add_connection_options(apply)
    apply.set_defaults(handler="edgegui.cli.k8s_cmd:run_apply")
