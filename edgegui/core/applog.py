"""Where library and EdgeGUI log records go: a log file always, the terminal only on --debug.

paramiko logs whole tracebacks for an unreachable host and "channel open FAILED" lines for a
refused session; the user sees our one-line error instead, and the records stay in the log
file for a diagnosis (and on stderr with ``--debug``).
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_configured = False


def log_file() -> Path:
    from platformdirs import user_log_path

    return user_log_path("edgegui") / "edgegui.log"


def configure_logging(debug: bool = False) -> None:
    """Send every logger to the log file (and stderr when ``debug``); idempotent."""
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=2, encoding="utf-8", delay=True
        )
    except OSError:
        handler = logging.NullHandler()  # a read-only home must not stop a command
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    if debug:
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(terminal)
