"""Write a rendered stack's files to a private temporary folder on a device, and remove it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from edgegui.core.errors import EdgeGUIError
from edgegui.core.transport.base import Transport

_MKTEMP = 'umask 077; mkdir -p "$HOME/.cache/edgegui" && mktemp -d "$HOME/.cache/edgegui/$1.XXXXXX"'
_WRITE = 'umask 077; mkdir -p "$(dirname "$1")" && cat > "$1" && chmod "$2" "$1"'


@contextmanager
def remote_folder(
    transport: Transport, files: Mapping[str, tuple[str, int]], prefix: str
) -> Iterator[str]:
    """A 0700 folder holding ``files`` (relative path -> (text, mode)); contents travel on
    stdin, never on a command line (they may be secrets). Removed afterwards."""
    made = transport.run(["sh", "-c", _MKTEMP, "sh", prefix])
    folder = made.text.strip()
    if not made.ok or not folder.startswith("/"):
        raise EdgeGUIError(f"{transport.describe()}: cannot make a temporary folder")
    try:
        for name, (text, mode) in files.items():
            path = f"{folder}/{name}"
            wrote = transport.run(
                ["sh", "-c", _WRITE, "sh", path, f"{mode:o}"], stdin=text.encode()
            )
            if not wrote.ok:
                raise EdgeGUIError(f"{transport.describe()}: cannot write {name}")
        yield folder
    finally:
        transport.run(["rm", "-rf", "--", folder])
