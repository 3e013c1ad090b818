"""A private Xvfb X server, for tests and benchmarks that need a real X display."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def virtual_display(screen: str = "1366x768x24") -> Iterator[str | None]:
    """Start Xvfb on a free display and yield its name (":N"); None where Xvfb is missing
    or did not start within 10 s. Xvfb picks the number itself (-displayfd), so parallel
    runs never share or race for one."""
    if not shutil.which("Xvfb"):
        yield None
        return
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as ready:
            # Xvfb writes the display number once it accepts clients; EOF if it died.
            number = ready.readline().strip() if select.select([ready], [], [], 10)[0] else ""
        yield f":{number}" if number else None
    finally:
        server.terminate()
        server.wait(10)
