"""``edgegui logs TARGET CONTAINER``: a container's log, filtered, followed with ``-f``.

Over SSH the lines come through the Docker API; over a serial console through
``docker logs`` on the device (the way in when the network is down).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from edgegui.cli.common import add_connection_options, add_json_option, connect
from edgegui.core.monitor import follow_logs, parse_since


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "logs",
        help="show or follow a container's log",
        description="Print a container's log lines (stdout and stderr), optionally filtered.",
    )
    parser.add_argument("target", help="ssh://user@host[:port], serial:///dev/ttyUSB0, local://")
    parser.add_argument("container", help="container name or id")
    parser.add_argument("-f", "--follow", action="store_true", help="keep printing new lines")
    parser.add_argument("--since", help="only lines since 10m, 2h, an epoch or ISO time")
    parser.add_argument("--tail", type=int, metavar="N", help="start with the last N lines")
    parser.add_argument(
        "--grep", metavar="REGEX", help="only lines matching this regular expression"
    )
    add_json_option(parser)
    add_connection_options(parser)
    parser.set_defaults(func=run_logs)


def run_logs(args: argparse.Namespace) -> int:
    since = parse_since(args.since) if args.since else None

    def show(line: str) -> None:
        if args.json:  # one JSON object per line: a stream a script can read as it comes
            sys.stdout.write(json.dumps({"container": args.container, "line": line}) + "\n")
        else:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()

    transport = connect(args)
    try:
        follow_logs(
            transport,
            args.container,
            since=since,
            tail=args.tail,
            pattern=args.grep,
            on_line=show,
            follow=args.follow,
        )
    except KeyboardInterrupt:
        return 0
    finally:
        transport.close()
    return 0
