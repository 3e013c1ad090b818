"""One bundle for many devices: opened and verified once, each blob read from disk once.

A fleet deploy sends the same layers to every device. ``SharedBundle`` is a
``BundleReader`` whose blobs are read from the file the first time any device (or the
verification) asks for them and then served from memory to every other device, so the
disk sees each byte once however many devices there are. Blobs beyond the memory budget
are read again when next asked for; ``stats`` says how often that happened.

Typical use::

    with SharedBundle(Path("retail.bundle")) as shared:
        shared.verify(public_key)             # once, for every device
        deploy_stack(t1, rendered, stack="retail", bundle=shared)
        deploy_stack(t2, rendered, stack="retail", bundle=shared)
        print(shared.stats.bytes_read, shared.stats.blob_reads)
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from edgegui.core.bundle.errors import BundleTampered
from edgegui.core.bundle.manifest import BundleManifest
from edgegui.core.bundle.reader import BundleReader

DEFAULT_BUDGET = 1024 * 1024 * 1024  # blobs kept in memory for the devices still to come


@dataclass
class ReadStats:
    """What was read from the bundle file: ``blob_reads`` counts reads per blob name."""

    opens: int = 0
    bytes_read: int = 0
    blob_reads: Counter[str] = field(default_factory=Counter)

    @property
    def blobs_read_more_than_once(self) -> list[str]:
        return sorted(name for name, count in self.blob_reads.items() if count > 1)

    def to_dict(self) -> dict[str, object]:
        return {
            "opens": self.opens,
            "bytes_read": self.bytes_read,
            "blobs": len(self.blob_reads),
            "blobs_read_more_than_once": self.blobs_read_more_than_once,
        }


class SharedBundle(BundleReader):
    """A thread-safe BundleReader that reads each blob once and fans it out."""

    def __init__(self, path: Path, *, memory_budget: int = DEFAULT_BUDGET) -> None:
        super().__init__(path)
        self.budget = memory_budget
        self.stats = ReadStats(opens=1)
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._digests: dict[str, str] = {}
        self._verified: dict[bytes | str | None, BundleManifest] = {}
        self._verify_lock = threading.Lock()

    def _blob(self, name: str) -> bytes:
        with self._lock:
            data = self._cache.get(name)
            if data is not None:
                self._cache.move_to_end(name)
                return data
            offset, size = self.blob_span(name)
            with open(self.path, "rb") as handle:
                handle.seek(offset)
                data = handle.read(size)
            self.stats.opens += 1
            self.stats.bytes_read += len(data)
            self.stats.blob_reads[name] += 1
            if len(data) != size:
                raise BundleTampered(f"{self.source}: {name} is truncated")
            self._keep(name, data)
            return data

    def _keep(self, name: str, data: bytes) -> None:
        if len(data) > self.budget:
            return
        self._cache[name] = data
        total = sum(len(kept) for kept in self._cache.values())
        while total > self.budget:
            _, dropped = self._cache.popitem(last=False)
            total -= len(dropped)

    def _beyond_budget(self, name: str) -> bool:
        """A blob never kept in memory: read only what is asked for, from the file."""
        return self.blob_span(name)[1] > self.budget

    def _count(self, name: str, start: int, data: bytes) -> bytes:
        with self._lock:
            self.stats.opens += 1
            self.stats.bytes_read += len(data)
            if start == 0:
                self.stats.blob_reads[name] += 1
        return data

    def read_blob(self, name: str) -> bytes:
        return self._blob(name)

    def read_range(self, name: str, start: int, length: int) -> bytes:
        if self._beyond_budget(name):
            return self._count(name, start, super().read_range(name, start, length))
        return self._blob(name)[start : start + length]

    def iter_blob(self, name: str, size: int = 1024 * 1024) -> Iterator[bytes]:
        if self._beyond_budget(name):
            start = 0
            for chunk in super().iter_blob(name, size):
                yield self._count(name, start, chunk)
                start += len(chunk)
            return
        data = memoryview(self._blob(name))
        for start in range(0, len(data), size):
            yield bytes(data[start : start + size])

    def blob_sha256(self, name: str) -> str:
        known = self._digests.get(name)
        if known is None:
            if self._beyond_budget(name):
                known = super().blob_sha256(name)  # streamed through iter_blob above
            else:
                known = hashlib.sha256(self._blob(name)).hexdigest()
            self._digests[name] = known
        return known

    def verify(self, public_key: Path | bytes | None = None) -> BundleManifest:
        """Verified once per key, however many devices ask (the blobs stay in memory)."""
        key = str(public_key) if isinstance(public_key, Path) else public_key
        with self._verify_lock:
            if key not in self._verified:
                self._verified[key] = super().verify(public_key)
            return dataclasses.replace(self._verified[key])

    def close(self) -> None:
        """Kept open for the next device; ``release()`` ends it."""

    def release(self) -> None:
        with self._lock:
            self._cache.clear()
        super().close()

    def __exit__(self, *exc: object) -> None:
        self.release()
