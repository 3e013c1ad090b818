"""The fleet's device list: a CSV file with a header row, credentials only by reference.

Columns: ``target`` (required), ``name``, ``site``, ``identity`` (key file), ``password_env``
(the name of an environment variable), ``known_hosts``, and any template parameter under
its own name for a per-device value. A secret parameter is given by reference too, as
``NAME_env``. A column that would hold a password is refused in one line naming it; the
file may be shared, mailed and kept in a ticket, so it never holds a secret.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edgegui.core.errors import EdgeGUIError, TargetError
from edgegui.core.target import parse_target

CONNECTION_COLUMNS = ("target", "name", "site", "identity", "password_env", "known_hosts")
ENV_SUFFIX = "_env"
MAX_DEVICES = 2000
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
_DEVICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
# Column names that would put a credential in the file itself.
_SECRET_COLUMN = re.compile(
    r"^(pass(word|wd|phrase)?|pw|pwd|secret|token|api[_-]?key|private[_-]?key|key[_-]?pass\w*)$",
    re.IGNORECASE,
)


class DeviceListError(EdgeGUIError):
    """The device list cannot be used (a bad column, row or reference)."""


@dataclass(frozen=True)
class FleetDevice:
    """One row: how to reach a device and its own parameter values."""

    target: str
    name: str
    line: int
    site: str = ""
    identity: Path | None = None
    password_env: str | None = None
    known_hosts: Path | None = None
    values: Mapping[str, str] = field(default_factory=dict)
    secret_env: Mapping[str, str] = field(default_factory=dict)  # parameter -> variable

    def password(self) -> str | None:
        """The password from its environment variable (checked to be set when read)."""
        return os.environ.get(self.password_env) if self.password_env else None

    def secret_values(self) -> dict[str, str]:
        return {name: os.environ[var] for name, var in self.secret_env.items()}


def read_devices(path: Path, secret_parameters: frozenset[str] = frozenset()) -> list[FleetDevice]:
    """Parse and check ``path``; ``secret_parameters`` are the template's secret names."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DeviceListError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise DeviceListError(f"{path}: not a UTF-8 text file") from None
    rows = [r for r in csv.reader(text.splitlines()) if r and not r[0].lstrip().startswith("#")]
    if not rows:
        raise DeviceListError(f"{path}: empty; the first row names the columns (target, …)")
    header = [column.strip() for column in rows[0]]
    _check_header(path, header, secret_parameters)
    devices: list[FleetDevice] = []
    names: dict[str, int] = {}
    for offset, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise DeviceListError(
                f"{path}:{offset}: {len(row)} cells, the header has {len(header)}"
            )
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        device = _device(path, offset, cells)
        if device.name in names:
            raise DeviceListError(
                f"{path}:{offset}: name {device.name} is also on line {names[device.name]}"
            )
        names[device.name] = offset
        devices.append(device)
    if not devices:
        raise DeviceListError(f"{path}: no devices below the header row")
    if len(devices) > MAX_DEVICES:
        raise DeviceListError(f"{path}: {len(devices)} devices; at most {MAX_DEVICES} per file")
    return devices


def _check_header(path: Path, header: list[str], secret_parameters: frozenset[str]) -> None:
    if "target" not in header:
        raise DeviceListError(f"{path}: no 'target' column in the header row")
    for column in header:
        if not column:
            raise DeviceListError(f"{path}: a column of the header row has no name")
        if header.count(column) > 1:
            raise DeviceListError(f"{path}: column {column} appears twice")
        if _SECRET_COLUMN.match(column):
            raise DeviceListError(
                f"{path}: column {column!r} would keep a credential in the file; name an "
                "environment variable in column password_env (or NAME_env) instead"
            )
        if column in secret_parameters:
            raise DeviceListError(
                f"{path}: column {column} is a secret parameter and its value must not be in "
                f"the file; name an environment variable in column {column}{ENV_SUFFIX} instead"
            )


def _device(path: Path, line: int, cells: dict[str, str]) -> FleetDevice:
    where = f"{path}:{line}"
    target = cells.get("target", "")
    if not target:
        raise DeviceListError(f"{where}: no target")
    try:
        parsed = parse_target(target)
    except TargetError as exc:
        raise DeviceListError(f"{where}: {exc}") from None
    name = cells.get("name") or parsed.host or Path(parsed.path or "local").name
    if not _DEVICE_NAME.match(name):
        raise DeviceListError(
            f"{where}: name {name[:40]!r}: use letters, digits, '.', '-' and '_' (it names files)"
        )
    password_env = cells.get("password_env") or None
    for column, value in [("password_env", password_env)] + [
        (c, v) for c, v in cells.items() if c.endswith(ENV_SUFFIX) and c != "password_env"
    ]:
        if value and not _ENV_NAME.match(value):
            # Never echo the value: it may be the very password someone pasted.
            raise DeviceListError(
                f"{where}: {column} is not the name of an environment variable; the file "
                "names variables and never holds passwords"
            )
    values: dict[str, str] = {}
    secret_env: dict[str, str] = {}
    for column, value in cells.items():
        if column in CONNECTION_COLUMNS or not value:
            continue
        if column.endswith(ENV_SUFFIX):
            secret_env[column[: -len(ENV_SUFFIX)]] = value
        else:
            values[column] = value
    folder = path.parent
    return FleetDevice(
        target=str(parsed),
        name=name,
        line=line,
        site=cells.get("site", ""),
        identity=_file(folder, cells.get("identity")),
        password_env=password_env,
        known_hosts=_file(folder, cells.get("known_hosts")),
        values=values,
        secret_env=secret_env,
    )


def _file(folder: Path, value: str | None) -> Path | None:
    """A path relative to the CSV file's folder (``~`` expanded)."""
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else folder / path


def check_references(
    devices: list[FleetDevice], parameters: Mapping[str, Any], given: frozenset[str] = frozenset()
) -> None:
    """Before anything connects: every named variable is set, every column is a parameter,
    and every required secret has a value (``given`` for all devices, or its own column)."""
    for device in devices:
        where = f"line {device.line} ({device.name})"
        named = [(c, c) for c in device.values]
        named += [(f"{c}{ENV_SUFFIX}", c) for c in device.secret_env]
        for column, parameter in named:
            if parameter not in parameters:
                known = ", ".join(sorted(parameters)) or "none"
                raise DeviceListError(
                    f"devices {where}: column {column} is neither a connection column "
                    f"({', '.join(CONNECTION_COLUMNS)}) nor a parameter of the template ({known})"
                )
        for variable in filter(None, (device.password_env, *device.secret_env.values())):
            if variable not in os.environ:
                raise DeviceListError(f"devices {where}: environment variable {variable} is unset")
        for name, spec in parameters.items():
            if (
                spec.secret
                and spec.required
                and name not in given
                and name not in device.secret_env
            ):
                raise DeviceListError(
                    f"devices {where}: no value for the secret {name}; give --set-env "
                    f"{name}=VAR for every device, or a column {name}{ENV_SUFFIX}"
                )
        for label, file in (("identity", device.identity), ("known_hosts", device.known_hosts)):
            if file is not None and not file.is_file():
                raise DeviceListError(f"devices {where}: {label} {file} is not a file")


def devices_for_template(
    path: Path, template: Any, given: frozenset[str] = frozenset()
) -> list[FleetDevice]:
    """The list at ``path`` read for ``template``: its secret columns known, and every
    reference checked (``given``: parameters set for all devices) before anything connects."""
    secrets = frozenset(n for n, spec in template.parameters.items() if spec.secret)
    devices = read_devices(path, secrets)
    check_references(devices, template.parameters, given)
    return devices
