"""The audit log: a hash chain of entries in SQLite under the user data folder.

Each append reads the head, seals the new entry onto it and moves the head in one
``BEGIN IMMEDIATE`` transaction, so two EdgeGUI processes never fork the chain.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edgegui.core.audit.chain import ChainHead, ChainReport, verify_chain
from edgegui.core.audit.entry import GENESIS, AuditEntry, canonical_json
from edgegui.core.errors import EdgeGUIError

if TYPE_CHECKING:  # sqlite3 is imported when the log is used, not with every deploy module
    import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    log TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
    device TEXT NOT NULL, target TEXT NOT NULL, action TEXT NOT NULL,
    detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_device ON entries (device);
CREATE TABLE IF NOT EXISTS head (
    one INTEGER PRIMARY KEY CHECK (one = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
COLUMNS = "log, seq, at, actor, device, target, action, detail, prev, hash"


class AuditError(EdgeGUIError):
    """The audit log cannot be read or written."""


def default_audit_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("edgegui") / "audit.sqlite3"


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AuditLog:
    """Append-only access to one audit database; a connection per call (thread-safe)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_audit_path()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        import sqlite3

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(str(self.path), timeout=30, isolation_level=None)) as db:
                db.executescript(SCHEMA)
                yield db
        except sqlite3.Error as exc:
            raise AuditError(f"{self.path}: audit log unusable: {exc}") from None
        except OSError as exc:
            raise AuditError(f"{self.path}: cannot open the audit log: {exc.strerror}") from None

    def append(
        self, *, actor: str, device: str, target: str, action: str, detail: dict[str, Any]
    ) -> AuditEntry:
        """Seal a new entry onto the head and store it; returns it with its hash."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                log_id = _log_id(db)
                head = _head(db)
                entry = AuditEntry(
                    log=log_id,
                    seq=head.seq + 1,
                    at=utc_now(),
                    actor=actor,
                    device=device,
                    target=target,
                    action=action,
                    detail=json.loads(canonical_json(detail)),
                    prev=head.hash,
                ).sealed()
                db.execute(
                    f"INSERT INTO entries ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
                    _row(entry),
                )
                db.execute(
                    "INSERT INTO head (one, seq, hash) VALUES (1, ?, ?) "
                    "ON CONFLICT(one) DO UPDATE SET seq=excluded.seq, hash=excluded.hash",
                    (entry.seq, entry.hash),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return entry

    def entries(self, device: str | None = None) -> list[AuditEntry]:
        """Entries in storage order, optionally of one device key; unreadable rows skipped."""
        if not self.path.exists():
            return []
        with self._db() as db:
            query = f"SELECT {COLUMNS} FROM entries"  # noqa: S608 - fixed column list
            rows = (
                db.execute(query + " WHERE device = ? ORDER BY id", (device,))
                if device is not None
                else db.execute(query + " ORDER BY id")
            ).fetchall()
        return [entry for entry in (_entry(row) for row in rows) if entry is not None]

    def head(self) -> ChainHead:
        if not self.path.exists():
            return ChainHead()
        with self._db() as db:
            return _head(db)

    def verify(self) -> ChainReport:
        if not self.path.exists():
            return ChainReport(0, ChainHead())
        with self._db() as db:
            rows = db.execute(f"SELECT {COLUMNS} FROM entries ORDER BY id").fetchall()  # noqa: S608
            head = _head(db)
        entries = []
        for row in rows:
            entry = _entry(row)
            # A row whose detail is no longer JSON was edited by hand: keep it, hash fails.
            entries.append(entry or _broken(row))
        return verify_chain(entries, head)


def _log_id(db: sqlite3.Connection) -> str:
    row = db.execute("SELECT value FROM meta WHERE key = 'log_id'").fetchone()
    if row:
        return str(row[0])
    log_id = uuid.uuid4().hex
    db.execute("INSERT INTO meta (key, value) VALUES ('log_id', ?)", (log_id,))
    return log_id


def _head(db: sqlite3.Connection) -> ChainHead:
    row = db.execute("SELECT seq, hash FROM head WHERE one = 1").fetchone()
    return ChainHead(int(row[0]), str(row[1])) if row else ChainHead(0, GENESIS)


def _row(entry: AuditEntry) -> tuple[Any, ...]:
    return (
        entry.log,
        entry.seq,
        entry.at,
        entry.actor,
        entry.device,
        entry.target,
        entry.action,
        canonical_json(entry.detail),
        entry.prev,
        entry.hash,
    )


def _entry(row: tuple[Any, ...]) -> AuditEntry | None:
    names = [c.strip() for c in COLUMNS.split(",")]
    data = dict(zip(names, row, strict=True))
    try:
        data["detail"] = json.loads(data["detail"])
        return AuditEntry.from_dict(data)
    except (ValueError, TypeError):
        return None


def _broken(row: tuple[Any, ...]) -> AuditEntry:
    names = [c.strip() for c in COLUMNS.split(",")]
    data = dict(zip(names, row, strict=True))
    return AuditEntry(
        log=str(data["log"]),
        seq=int(data["seq"]) if str(data["seq"]).isdigit() else 0,
        at=str(data["at"]),
        actor=str(data["actor"]),
        device=str(data["device"]),
        target=str(data["target"]),
        action=str(data["action"]),
        detail={"unreadable": str(data["detail"])[:200]},
        prev=str(data["prev"]),
        hash=str(data["hash"]),
    )
