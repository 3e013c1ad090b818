"""``edgegui logs TARGET CONTAINER``: a container's log, filtered, followed with ``-f``.

Over SSH the lines come through the Docker API; over a serial console through
``docker logs`` on the device (the way in when the network is down).
"""

from __future__ import annotations

import argparse
import json
import sys

from edgegui.cli.common import connect
from edgegui.core.monitor import follow_logs, parse_since


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
