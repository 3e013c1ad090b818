"""SharedBundle: one bundle for many devices, verified once, every blob read from disk once."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from edgegui.core.bundle import BundleReader, BundleTampered, SharedBundle, create_bundle
from tests.core.bundle.savearchive import layer_tar, write_save_archive

BASE = layer_tar({"bin/tool": os.urandom(300_000)})
APP = layer_tar({"app/data": os.urandom(200_000)})


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    archive = tmp_path / "app.tar"
    write_save_archive(archive, "example/app:1", [BASE, APP])
    path = tmp_path / "site.edgebundle"
    create_bundle(path, archives=[archive])
    return path


def _as_a_device_would(shared: SharedBundle) -> bytes:
    """verify, then every blob chunk by chunk (what send_images does)."""
    shared.verify()
    sent = b""
    for name, (_, size) in sorted(shared.manifest.members.items()):
        for start in range(0, size, 65536):
            sent += shared.read_range(name, start, 65536)
    return sent


def test_ten_devices_read_each_blob_once(bundle: Path) -> None:
    with BundleReader(bundle) as plain:
        expected = b"".join(plain.read_blob(n) for n in sorted(plain.manifest.members))
        total = sum(size for _, size in plain.manifest.members.values())
    with SharedBundle(bundle) as shared, ThreadPoolExecutor(10) as pool:
        sent = list(pool.map(lambda _: _as_a_device_would(shared), range(10)))
        stats = shared.stats
    assert sent == [expected] * 10
    assert stats.bytes_read == total
    assert sorted(stats.blob_reads) == sorted(shared.manifest.members)
    assert stats.blobs_read_more_than_once == []


def test_a_small_memory_budget_reads_again_and_says_so(bundle: Path) -> None:
    with SharedBundle(bundle, memory_budget=1000) as shared:
        _as_a_device_would(shared)
        _as_a_device_would(shared)
        assert shared.stats.blobs_read_more_than_once  # layers larger than the budget


def test_a_tampered_layer_is_refused_once_for_all(bundle: Path) -> None:
    with BundleReader(bundle) as reader:
        layer = reader.manifest.images[0].layers[1].blob
        offset, _ = reader.blob_span(layer)
    with open(bundle, "r+b") as handle:
        handle.seek(offset + 100)
        byte = handle.read(1)
        handle.seek(offset + 100)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with SharedBundle(bundle) as shared, pytest.raises(BundleTampered, match="sha256"):
        shared.verify()


def test_a_blob_beyond_the_budget_is_read_chunk_by_chunk_not_whole_per_chunk(bundle: Path) -> None:
    # Each 64 KiB chunk of a layer larger than the budget must not re-read the whole layer.
    with SharedBundle(bundle, memory_budget=1000) as shared:
        shared.verify()
        before = shared.stats.bytes_read
        sent = _as_a_device_would(shared)
        assert shared.stats.bytes_read - before <= len(sent)
