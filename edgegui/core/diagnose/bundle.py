"""``collect_diagnostics``: a redacted tar.gz of everything support needs; ``open_diagnostics``.

Everything is gathered first, then the redactor learns the secret values (given ones and
secret-looking container environment) and masks them in every member; a last scan refuses
to write a bundle in which a known secret value survived.
"""

from __future__ import annotations

import io
import json
import os
import re
import tarfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from edgegui import __version__
from edgegui.core.diagnose.gather import (
    DockerFacts,
    gather_docker_api,
    gather_docker_cli,
    gather_system,
)
from edgegui.core.diagnose.redact import MASK, Redactor
from edgegui.core.errors import EdgeGUIError, Unsupported
from edgegui.core.events import CancelToken, Progress, ProgressCallback, no_progress
from edgegui.core.transport.base import Transport

BUNDLE_FORMAT = 1
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


class DiagnosticsError(EdgeGUIError):
    """A bundle could not be written, or a file is not a readable EdgeGUI bundle."""


def collect_diagnostics(
    transport: Transport,
    out_path: Path,
    *,
    log_lines: int = 200,
    secret_values: Iterable[str] = (),
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Write a redacted diagnostics bundle of an opened device to ``out_path`` (tar.gz)."""
    from edgegui.core.discovery import probe_inventory
    from edgegui.core.monitor import docker_client_for, snapshot

    if log_lines < 0:
        raise DiagnosticsError(f"log lines {log_lines}: must be 0 or more")
    report = progress or no_progress
    started = time.monotonic()
    target = transport.describe()
    errors: dict[str, str] = {}
    members: dict[str, Any] = {}

    def step(number: int, message: str) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        report(Progress("diagnose", number, 5, message, unit="step", started=started))

    step(0, f"inventory of {target}")
    members["inventory.json"] = _attempt(
        errors, "inventory", lambda: probe_inventory(transport).to_dict()
    )
    step(1, "status snapshot")
    members["status.json"] = _attempt(errors, "status", lambda: snapshot(transport).to_dict())
    step(2, "docker info, inspect and logs")
    try:
        client = docker_client_for(transport)
    except Unsupported:
        facts = _attempt(errors, "docker", lambda: gather_docker_cli(transport, log_lines))
    except EdgeGUIError as exc:
        errors["docker"] = str(exc)
        facts = None
    else:
        facts = _attempt(errors, "docker", lambda: gather_docker_api(client, log_lines))
    if facts is not None:
        errors.update(facts.errors)
        members.update(_docker_members(facts))
    step(3, "system state, dmesg and the engine journal")
    system = _attempt(errors, "system", lambda: gather_system(transport, max(log_lines, 500)))
    for name, text in (system or {}).items():
        members[f"system/{_safe(name)}.txt"] = text

    step(4, "redacting and writing")
    redactor = Redactor(secret_values)
    for inspect in facts.inspects if facts else []:
        redactor.learn_from_inspect(inspect)
    # Names too: a container may be named after a value that turns out to be secret.
    redacted = {
        redactor.text(name).replace(MASK, "REDACTED"): _redact(redactor, content)
        for name, content in members.items()
    }
    redacted["manifest.json"] = _encode(
        {
            "format": BUNDLE_FORMAT,
            "tool": f"edgegui {__version__}",
            "target": redactor.text(target),
            "transport": transport.scheme,
            "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "elapsed_s": round(time.monotonic() - started, 3),
            "log_lines": log_lines,
            "members": sorted(redacted),
            "masked": redactor.masked,
            "errors": {k: redactor.text(v) for k, v in errors.items()},
        }
    )
    _refuse_leaks(redactor, redacted)
    _write_tar(out_path, redacted)
    report(Progress("diagnose", 5, 5, f"wrote {out_path}", unit="step", started=started))
    return out_path


def _attempt(errors: dict[str, str], what: str, job: Any) -> Any:
    try:
        return job()
    except EdgeGUIError as exc:
        errors[what] = str(exc)
    except Exception as exc:  # noqa: BLE001 - one broken part must not lose the whole bundle
        errors[what] = f"{type(exc).__name__}: {exc}"
    return None


def _docker_members(facts: DockerFacts) -> dict[str, Any]:
    members: dict[str, Any] = {"docker/info.json": facts.info, "docker/version.json": facts.version}
    for inspect in facts.inspects:
        name = _safe(str(inspect.get("Name", "")).lstrip("/") or str(inspect.get("Id", ""))[:12])
        members[f"containers/{name}/inspect.json"] = inspect
        members[f"containers/{name}/logs.txt"] = facts.logs.get(str(inspect.get("Id")), "")
    return members


def _safe(name: str) -> str:
    return _UNSAFE_NAME.sub("_", name).strip("._") or "unnamed"


def _redact(redactor: Redactor, content: Any) -> bytes:
    if isinstance(content, str):
        return redactor.text(content).encode()
    return _encode(redactor.tree(content))


def _encode(data: Any) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, default=str) + "\n").encode()


def _refuse_leaks(redactor: Redactor, members: dict[str, bytes]) -> None:
    """Last line of defence: no known secret value may reach the file."""
    for name, data in members.items():
        if redactor.holds_known(data.decode("utf-8", "replace")) or redactor.holds_known(name):
            raise DiagnosticsError(f"bundle member {name} still holds a secret; nothing written")


def _write_tar(out_path: Path, members: dict[str, bytes]) -> None:
    partial = out_path.with_name(out_path.name + ".part")
    now = time.time()
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for name in ["manifest.json", *sorted(n for n in members if n != "manifest.json")]:
                info = tarfile.TarInfo(f"edgegui-diagnostics/{name}")
                info.size, info.mtime, info.mode = len(members[name]), int(now), 0o644
                tar.addfile(info, io.BytesIO(members[name]))
        partial.replace(out_path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DiagnosticsError(f"{out_path}: cannot write: {exc.strerror or exc}") from None


def open_diagnostics(path: Path) -> dict[str, Any]:
    """Read a bundle offline: ``{"manifest": …, "members": {name: parsed JSON or text}}``."""
    members: dict[str, Any] = {}
    total = 0
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for info in tar:
                name = info.name.removeprefix("edgegui-diagnostics/")
                if not info.isfile() or name.startswith("/") or ".." in name.split("/"):
                    continue  # never follow links or paths out of the bundle
                total += info.size
                if info.size > MAX_MEMBER_BYTES or total > MAX_BUNDLE_BYTES:
                    raise DiagnosticsError(f"{path}: member {name} is too large for a bundle")
                handle = tar.extractfile(info)
                data = handle.read() if handle else b""
                members[name] = _decode(name, data)
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise DiagnosticsError(f"{path}: not a readable diagnostics bundle: {exc}") from None
    manifest = members.get("manifest.json")
    if not isinstance(manifest, dict) or "format" not in manifest:
        raise DiagnosticsError(f"{path}: no EdgeGUI manifest.json; not a diagnostics bundle")
    if manifest["format"] > BUNDLE_FORMAT:
        raise DiagnosticsError(
            f"{path}: bundle format {manifest['format']} is newer than this EdgeGUI reads"
        )
    return {"path": str(path), "manifest": manifest, "members": members}


def _decode(name: str, data: bytes) -> Any:
    text = data.decode("utf-8", "replace")
    if name.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text
