"""Saved devices, history and preferences in SQLite under the user data folder.

No secrets are stored here: passwords are asked for again (or come from a key file).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import NamedTuple

from platformdirs import user_data_path

SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (
    target TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    identity TEXT,
    user TEXT,
    last_seen REAL,
    last_status TEXT NOT NULL DEFAULT '',
    site TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    target TEXT NOT NULL,
    action TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS preferences (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def default_store_path() -> Path:
    return user_data_path("edgegui") / "edgegui.sqlite3"


class SavedDevice(NamedTuple):
    target: str
    name: str
    identity: str | None = None
    user: str | None = None
    last_seen: float | None = None
    last_status: str = ""
    site: str = ""  # store, plant or cabinet: the device list groups by it


class HistoryEntry(NamedTuple):
    at: float
    target: str
    action: str
    result: str


class DeviceStore:
    """The technician's devices and what was done to them, kept between sessions."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_store_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path))
        self.db.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Stores written before sites existed get the column (empty: no site)."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(devices)")}
        if "site" not in columns:
            with self.db:
                self.db.execute("ALTER TABLE devices ADD COLUMN site TEXT NOT NULL DEFAULT ''")

    def close(self) -> None:
        self.db.close()

    def save_device(self, device: SavedDevice) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO devices (target, name, identity, user, last_seen, last_status, site)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(target) DO UPDATE SET"
                " name=excluded.name, identity=excluded.identity, user=excluded.user,"
                " site=CASE WHEN excluded.site = '' THEN devices.site ELSE excluded.site END",
                (
                    device.target,
                    device.name,
                    device.identity,
                    device.user,
                    device.last_seen,
                    device.last_status,
                    device.site,
                ),
            )

    def set_site(self, target: str, site: str) -> None:
        with self.db:
            self.db.execute("UPDATE devices SET site = ? WHERE target = ?", (site, target))

    def rename_device(self, target: str, name: str) -> None:
        with self.db:
            self.db.execute("UPDATE devices SET name = ? WHERE target = ?", (name, target))

    def forget_device(self, target: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM devices WHERE target = ?", (target,))

    def devices(self) -> list[SavedDevice]:
        rows = self.db.execute(
            "SELECT target, name, identity, user, last_seen, last_status, site FROM devices"
            " ORDER BY site, name"
        ).fetchall()
        return [SavedDevice(*row) for row in rows]

    def record(self, target: str, action: str, result: str) -> None:
        """Add a history line and update the device's status at a glance."""
        now = time.time()
        with self.db:
            self.db.execute(
                "INSERT INTO history (at, target, action, result) VALUES (?, ?, ?, ?)",
                (now, target, action, result),
            )
            # "Last seen" is the last time the device answered, not the last attempt.
            answered = not result.startswith(("failed", "refused"))
            self.db.execute(
                "UPDATE devices SET last_seen = CASE WHEN ? THEN ? ELSE last_seen END,"
                " last_status = ? WHERE target = ?",
                (answered, now, f"{action}: {result}", target),
            )

    def history(self, target: str | None = None, limit: int = 200) -> list[HistoryEntry]:
        if target is None:
            rows = self.db.execute(
                "SELECT at, target, action, result FROM history ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        else:
            rows = self.db.execute(
                "SELECT at, target, action, result FROM history WHERE target = ? "
                "ORDER BY id DESC LIMIT ?",
                (target, limit),
            ).fetchall()
        return [HistoryEntry(*row) for row in rows]

    def preference(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM preferences WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_preference(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO preferences (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )
