"""Sizes (``256M``, ``2Gi``) and durations (``500ms``, ``1m30s``, ``15d``) in templates.

Sizes use binary multiples like Docker (``256M`` is 256 MiB); each output format then
writes them its own way (Docker ``256M``, Kubernetes ``256Mi``).
"""

from __future__ import annotations

import re

_SIZE_RE = re.compile(r"^([0-9]+)\s*([KMGT]?)(i?B?)$", re.IGNORECASE)
_SIZE_FACTORS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
_DURATION_PART_RE = re.compile(r"([0-9]+)(ms|s|m|h|d)")
_DURATION_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_size(text: str | int) -> int:
    """Bytes in ``text`` (``512``, ``256M``, ``256MiB``, ``2G``); ValueError if malformed."""
    if isinstance(text, bool):
        raise ValueError("a size, not a boolean")
    if isinstance(text, int):
        if text < 0:
            raise ValueError("a size cannot be negative")
        return text
    match = _SIZE_RE.match(text.strip())
    if not match or (match.group(3) and not match.group(2) and match.group(3).lower() != "b"):
        raise ValueError("expected a size such as 512M, 2G or 1Gi")
    return int(match.group(1)) * _SIZE_FACTORS[match.group(2).upper()]


def parse_duration(text: str) -> float:
    """Seconds in ``text`` (``500ms``, ``5s``, ``1m30s``, ``2h``, ``15d``); ValueError if not."""
    text = text.strip()
    position = 0
    total = 0.0
    for match in _DURATION_PART_RE.finditer(text):
        if match.start() != position:
            break
        total += int(match.group(1)) * _DURATION_SECONDS[match.group(2)]
        position = match.end()
    if not text or position != len(text):
        raise ValueError("expected a duration such as 500ms, 30s, 1m30s, 2h or 15d")
    return total


def docker_size(size: int) -> str:
    """A size as Docker and Compose write it (``256M``); exact, never rounded."""
    return _binary_size(size, "")


def kubernetes_size(size: int) -> str:
    """A size as a Kubernetes quantity (``256Mi``); exact, never rounded."""
    return _binary_size(size, "i")


def _binary_size(size: int, suffix: str) -> str:
    for unit in ("T", "G", "M", "K"):
        factor = _SIZE_FACTORS[unit]
        if size >= factor and size % factor == 0:
            return f"{size // factor}{unit}{suffix}"
    return str(size)


def go_duration(seconds: float) -> str:
    """A duration as Go's time.ParseDuration reads it (Compose healthchecks): ``1m30s``."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    parts = [(hours, "h"), (minutes, "m"), (secs, "s"), (millis, "ms")]
    return "".join(f"{value}{unit}" for value, unit in parts if value) or "0s"
