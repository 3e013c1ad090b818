"""Sizes and durations as templates write them, and as each output format wants them."""

from __future__ import annotations

import pytest

from edgegui.core.templates.units import (
    docker_size,
    go_duration,
    kubernetes_size,
    parse_duration,
    parse_size,
)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("512", 512),
        ("512B", 512),
        ("64k", 64 << 10),
        ("256M", 256 << 20),
        ("256m", 256 << 20),
        ("256Mi", 256 << 20),
        ("256MiB", 256 << 20),
        ("2G", 2 << 30),
        ("1T", 1 << 40),
        (4096, 4096),
    ],
)
def test_sizes_use_binary_multiples_like_docker(text: str | int, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "1.5G", "-1", "12X", "G", "1 GiBs", "$(reboot)", "1i"])
def test_bad_sizes(text: str) -> None:
    with pytest.raises(ValueError, match="expected a size"):
        parse_size(text)


def test_size_formats_are_exact() -> None:
    assert docker_size(256 << 20) == "256M"
    assert kubernetes_size(256 << 20) == "256Mi"
    assert kubernetes_size(1536 << 20) == "1536Mi"
    assert docker_size((1 << 30) + 1) == str((1 << 30) + 1)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("500ms", 0.5), ("30s", 30), ("1m30s", 90), ("2h", 7200), ("15d", 1296000), ("1h0m5s", 3605)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "5 s", "s5", "1x", "1m 30s", "$(sleep 9)", "1.5s"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(text)


def test_go_durations_for_compose() -> None:
    assert go_duration(90) == "1m30s"
    assert go_duration(1296000) == "360h"
    assert go_duration(0.25) == "250ms"
    assert go_duration(0) == "0s"
