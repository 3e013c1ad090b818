"""Docker daemon profiles: merge a profile into the device's ``daemon.json``, validate it,
write it atomically with a backup, restart dockerd, and put the backup back if it fails.

Writing ``/etc/docker`` and restarting dockerd need root: commands go through ``sudo -n``
(no password prompt; the technician's account must be allowed to, or the step is refused).
"""

from __future__ import annotations

import json
import time
from typing import Any

from edgegui.core.audit import audited
from edgegui.core.deploy.errors import DeployError
from edgegui.core.resources import resource_path
from edgegui.core.transport.base import Transport
from edgegui.core.transport.engine import docker_argv

DAEMON_JSON = "/etc/docker/daemon.json"
BACKUP = DAEMON_JSON + ".edgegui-backup"
PROFILE_DIR = "daemon-profiles"

_INSTALL = """\
set -e
new=$1; target=$2; backup=$3
if dockerd --help 2>/dev/null | grep -q -- '--validate'; then
  dockerd --validate --config-file "$new" >&2
fi
if [ -f "$target" ]; then cp -p "$target" "$backup"; else : > "$backup.absent"; fi
mkdir -p "$(dirname "$target")"
cp "$new" "$target.edgegui-new" && mv -f "$target.edgegui-new" "$target"
"""
_RESTORE = """\
target=$1; backup=$2
if [ -f "$backup.absent" ]; then rm -f "$target" "$backup.absent"
else cp -p "$backup" "$target"; fi
"""
_RESTART = """\
if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
  exec systemctl restart docker
fi
exec service docker restart
"""


def load_profile(name: str) -> dict[str, Any]:
    path = resource_path(PROFILE_DIR, f"{name}.json")
    if not name.replace("-", "").isalnum() or not path.is_file():
        raise DeployError(f"daemon profile {name!r}: no such profile in {path.parent}")
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise DeployError(f"{path}: a daemon profile is a JSON object")
    return data


def merge_profile(existing: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    """The device's settings with the profile's on top; nested objects (log-opts) merge,
    unless the profile changes the log driver: the old driver's options would not apply."""
    merged = dict(existing)
    current_driver = existing.get("log-driver", "json-file")  # dockerd's default
    if profile.get("log-driver", current_driver) != current_driver:
        merged.pop("log-opts", None)
    for key, value in profile.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _sudo(transport: Transport, argv: list[str], stdin: bytes | None = None) -> Any:
    return transport.run(["sudo", "-n", "--", *argv], stdin=stdin, timeout=120)


def _engine_answers(transport: Transport, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if transport.run(docker_argv(transport, ["version", "--format", "{{.Server.Version}}"])).ok:
            return True
        time.sleep(1)
    return False


def apply_profile(transport: Transport, name: str, *, restart_timeout: float = 60) -> bool:
    """Apply profile ``name``; returns False when ``daemon.json`` already had it."""
    where = transport.describe()
    profile = load_profile(name)
    read = transport.run(["sh", "-c", 'cat "$1" 2>/dev/null || true', "sh", DAEMON_JSON])
    try:
        existing = json.loads(read.stdout) if read.stdout.strip() else {}
    except json.JSONDecodeError as exc:
        raise DeployError(f"{where}: {DAEMON_JSON} is not JSON ({exc}); fix it by hand") from None
    merged = merge_profile(existing, profile)
    if merged == existing:
        return False
    changed = sorted(k for k in merged if merged[k] != existing.get(k))
    with audited("daemon-profile", transport, {"profile": name, "settings": changed}):
        _install(transport, name, merged, restart_timeout)
    return True


def _install(transport: Transport, name: str, merged: dict[str, Any], timeout: float) -> None:
    where = transport.describe()
    staged = ".cache/edgegui/daemon.json"
    text = json.dumps(merged, indent=2, sort_keys=True).encode()
    put = 'mkdir -p "$(dirname "$1")" && cat > "$1"'
    transport.run(["sh", "-c", put, "sh", staged], stdin=text)
    installed = _sudo(transport, ["sh", "-c", _INSTALL, "sh", staged, DAEMON_JSON, BACKUP])
    if not installed.ok:
        raise DeployError(
            f"{where}: daemon profile {name} not applied: "
            f"{installed.stderr.decode(errors='replace').strip()[:300]}"
        )
    _sudo(transport, ["sh", "-c", _RESTART])
    if _engine_answers(transport, timeout):
        return
    _sudo(transport, ["sh", "-c", _RESTORE, "sh", DAEMON_JSON, BACKUP])
    _sudo(transport, ["sh", "-c", _RESTART])
    came_back = _engine_answers(transport, timeout)
    raise DeployError(
        f"{where}: dockerd did not come back with daemon profile {name}; the previous "
        f"daemon.json was restored{'' if came_back else ' but dockerd is still down'}"
    )
