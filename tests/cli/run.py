"""Run ``edgegui`` as a whole process, the way a technician or a script does."""

from __future__ import annotations

import os
import subprocess
import sys


def edgegui(
    *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """``python -m edgegui ARGS``; an "internal error" on stderr fails the calling test."""
    result = subprocess.run(
        [sys.executable, "-m", "edgegui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    assert "internal error" not in result.stderr, result.stderr
    return result
