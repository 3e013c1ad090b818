"""Lenient conversions of probe values: garbage becomes None, never an exception."""

from __future__ import annotations


def to_int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def to_float(value: str | None) -> float | None:
    try:
        return float(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def hex_id(value: str, width: int = 4) -> str:
    """``0x8086`` or ``8086`` → ``8086`` (lower case, zero-padded to ``width``)."""
    value = value.strip().lower()
    return (value[2:] if value.startswith("0x") else value).zfill(width)


def kib_to_mib(value: str | None) -> int | None:
    kib = to_int(value)
    return None if kib is None else kib // 1024
