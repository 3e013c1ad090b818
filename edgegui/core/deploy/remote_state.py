"""What the device keeps about a stack: the version running now and the one before it.

Kept as JSON under ``~/.local/share/edgegui/stacks/<stack>/`` of the login user: the rendered
Compose file, image IDs, and names of the secret volumes (never secret values).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from edgegui.core.deploy.errors import DeployError
from edgegui.core.transport.base import Transport

STATE_ROOT = ".local/share/edgegui/stacks"
STACK_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")

_WRITE = 'umask 077; mkdir -p "$(dirname "$1")" && cat > "$1.tmp" && mv -f "$1.tmp" "$1"'
_READ = '[ -f "$1" ] && cat "$1" || exit 3'


def check_stack_name(stack: str) -> str:
    if not STACK_NAME.match(stack):
        raise DeployError(
            f"stack name {stack!r}: use lowercase letters, digits, '-' and '_' (Compose project)"
        )
    return stack


@dataclass
class StackVersion:
    """One deployed version: enough to recreate every container exactly."""

    stack: str
    compose: dict[str, Any]
    compose_yaml: str
    images: dict[str, str]  # service -> image ID
    secret_volumes: dict[str, str] = field(default_factory=dict)  # service -> volume
    config_paths: dict[str, str] = field(default_factory=dict)  # config -> file on device
    file_digests: dict[str, str] = field(default_factory=dict)  # secret/config -> sha256
    source: str = ""
    seccomp_profiles: dict[str, str] = field(default_factory=dict)  # name -> profile JSON
    parameters: dict[str, str] = field(default_factory=dict)  # as reports show them
    deployed_at: str = ""  # UTC, the laptop's clock
    # sha256 of the Compose file as rendered (before this engine's confinement): a fleet
    # rerun compares it to skip devices already at this version.
    rendered_sha256: str = ""
    notes: list[str] = field(default_factory=list)  # what render and deploy noted (limits…)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes, where: str) -> StackVersion:
        try:
            raw = json.loads(data)
            # Fields a newer EdgeGUI added are skipped, so an older laptop still reads it.
            return cls(**{k: v for k, v in raw.items() if k in _FIELDS})
        except (ValueError, TypeError) as exc:
            raise DeployError(f"{where}: unreadable stack state: {exc}") from None


_FIELDS = frozenset(f.name for f in fields(StackVersion))


def state_path(stack: str, name: str) -> str:
    return f"{STATE_ROOT}/{check_stack_name(stack)}/{name}"


def home_dir(transport: Transport) -> str:
    result = transport.run(["sh", "-c", 'printf %s "$HOME"'])
    home = result.text.strip()
    if not result.ok or not home.startswith("/"):
        raise DeployError(f"{transport.describe()}: cannot find the login user's home folder")
    return home


def write_remote(transport: Transport, path: str, data: bytes) -> None:
    """Write ``path`` (relative to the home folder) atomically, mode 0600."""
    result = transport.run(["sh", "-c", _WRITE, "sh", path], stdin=data)
    if not result.ok:
        raise DeployError(
            f"{transport.describe()}: cannot write {path}: {result.stderr.decode(errors='replace')}"
        )


def read_remote(transport: Transport, path: str) -> bytes | None:
    result = transport.run(["sh", "-c", _READ, "sh", path])
    if result.exit_status == 3:
        return None
    if not result.ok:
        raise DeployError(f"{transport.describe()}: cannot read {path}")
    return result.stdout


def load_version(transport: Transport, stack: str, which: str) -> StackVersion | None:
    """``which`` is ``current`` or ``previous``."""
    path = state_path(stack, f"{which}.json")
    data = read_remote(transport, path)
    return None if data is None else StackVersion.from_json(data, path)


def save_version(transport: Transport, version: StackVersion, which: str) -> None:
    write_remote(transport, state_path(version.stack, f"{which}.json"), version.to_json())
    if which == "current":
        write_remote(
            transport, state_path(version.stack, "compose.yaml"), version.compose_yaml.encode()
        )


def forget_stack(transport: Transport, stack: str) -> None:
    transport.run(["rm", "-rf", "--", f"{STATE_ROOT}/{check_stack_name(stack)}"])
