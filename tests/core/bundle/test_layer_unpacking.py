"""A layer is checked as it is read, piece by piece: what each kind of bad blob is called."""

from __future__ import annotations

import gzip
import hashlib

from edgegui.core.bundle.imagecheck import LayerUnpacking
from edgegui.core.bundle.manifest import LayerEntry

TAR = b"layer contents " * 5000


def unpacking(blob: bytes, piece: int = 1000) -> LayerUnpacking:
    layer = LayerEntry("sha256:" + hashlib.sha256(TAR).hexdigest(), len(TAR), "sha256:x", 0)
    checking = LayerUnpacking(layer)
    for start in range(0, len(blob), piece):
        checking.feed(blob[start : start + piece])
    return checking


def test_a_good_layer_in_pieces_passes():
    assert unpacking(gzip.compress(TAR)).problem() == ""


def test_bytes_after_the_gzip_stream_are_named():
    assert unpacking(gzip.compress(TAR) + b"x" * 3000).problem() == "not one complete gzip layer"


def test_a_cut_layer_and_a_non_gzip_blob_are_named():
    assert unpacking(gzip.compress(TAR)[:-10]).problem() == "not one complete gzip layer"
    assert unpacking(b"plain tar, not gzip" * 100).problem().startswith("not a gzip layer")


def test_other_contents_do_not_match_the_diff_id():
    assert "does not unpack to its recorded digest" in unpacking(gzip.compress(TAR[::-1])).problem()
