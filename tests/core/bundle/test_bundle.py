"""Bundles made from ``docker save`` archives: manifest, digests, signatures, tampering."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from edgegui.core.bundle import (
    BundleReader,
    BundleTampered,
    UnsafeBundleMember,
    create_bundle,
    generate_key_pair,
    verify_bundle,
)
from edgegui.core.bundle.manifest import MANIFEST_NAME
from tests.core.bundle.savearchive import layer_tar, write_save_archive

BASE = layer_tar({"bin/tool": os.urandom(4096)})
APP = layer_tar({"app/run.sh": b"#!/bin/sh\necho hi\n" * 100})


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "app.tar"
    write_save_archive(path, "example/app:1", [BASE, APP])
    return path


def test_manifest_lists_images_layers_and_member_digests(tmp_path: Path, archive: Path) -> None:
    bundle = tmp_path / "site.edgebundle"
    made = create_bundle(bundle, archives=[archive], template="industrial")
    checked = verify_bundle(bundle)
    assert checked.to_dict()["images"] == made.to_dict()["images"]
    image = checked.image("example/app:1")
    assert image is not None
    assert image.architecture == "amd64" and image.os == "linux"
    assert [layer.size for layer in image.layers] == [len(BASE), len(APP)]
    assert all(layer.compressed_size < layer.size for layer in image.layers[1:])
    assert len(checked.members) == 3  # config and two layers
    assert checked.template == "industrial" and not checked.signed


def test_same_layer_in_two_images_is_stored_once(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tar", tmp_path / "b.tar"
    write_save_archive(first, "example/a:1", [BASE, APP])
    write_save_archive(second, "example/b:1", [BASE, layer_tar({"b": b"other"})])
    manifest = create_bundle(tmp_path / "two.edgebundle", archives=[first, second])
    assert len(manifest.images) == 2
    assert len(manifest.members) == 5  # two configs, three distinct layers


def test_signed_bundle_verifies_with_its_key_only(tmp_path: Path, archive: Path) -> None:
    private, public = tmp_path / "office.key", tmp_path / "office.pub"
    generate_key_pair(private, public)
    assert private.stat().st_mode & 0o777 == 0o600
    bundle = tmp_path / "signed.edgebundle"
    create_bundle(bundle, archives=[archive], signing_key=private)
    checked = verify_bundle(bundle, public_key=public)
    assert checked.signed and checked.signature_verified
    other_private, other_public = tmp_path / "other.key", tmp_path / "other.pub"
    generate_key_pair(other_private, other_public)
    with pytest.raises(BundleTampered, match="signature"):
        verify_bundle(bundle, public_key=other_public)


def test_unsigned_bundle_is_refused_when_a_key_is_required(tmp_path: Path, archive: Path) -> None:
    _, public = tmp_path / "k", tmp_path / "k.pub"
    generate_key_pair(tmp_path / "k", public)
    bundle = tmp_path / "plain.edgebundle"
    create_bundle(bundle, archives=[archive])
    with pytest.raises(BundleTampered, match="not signed"):
        verify_bundle(bundle, public_key=public)


def test_a_flipped_byte_in_a_layer_is_refused(tmp_path: Path, archive: Path) -> None:
    bundle = tmp_path / "site.edgebundle"
    manifest = create_bundle(bundle, archives=[archive])
    layer = manifest.images[0].layers[1].blob
    with BundleReader(bundle) as reader:
        offset, _ = reader.blob_span(layer)
    with open(bundle, "r+b") as handle:
        handle.seek(offset + 10)
        byte = handle.read(1)
        handle.seek(offset + 10)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(BundleTampered, match="does not match its sha256"):
        verify_bundle(bundle)


def test_a_changed_manifest_breaks_the_signature(tmp_path: Path, archive: Path) -> None:
    private, public = tmp_path / "k", tmp_path / "k.pub"
    generate_key_pair(private, public)
    bundle = tmp_path / "signed.edgebundle"
    create_bundle(bundle, archives=[archive], signing_key=private)
    rebuilt = tmp_path / "rebuilt.edgebundle"
    with tarfile.open(bundle) as source, tarfile.open(rebuilt, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == MANIFEST_NAME:
                data = data.replace(b"example/app:1", b"example/evil:1")
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    with pytest.raises(BundleTampered, match="signature"):
        verify_bundle(rebuilt, public_key=public)


def _bundle_with(tmp_path: Path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    path = tmp_path / "evil.edgebundle"
    with tarfile.open(path, "w") as tar:
        tar.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return path


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("../escape", tarfile.REGTYPE),
        ("/etc/passwd", tarfile.REGTYPE),
        ("blobs/../../x", tarfile.REGTYPE),
        ("manifest.json", tarfile.SYMTYPE),
        ("manifest.json", tarfile.LNKTYPE),
        ("blobs/sha256/" + "0" * 64, tarfile.CHRTYPE),
        ("unexpected.txt", tarfile.REGTYPE),
    ],
)
def test_unsafe_members_are_refused_before_anything_is_read(
    tmp_path: Path, name: str, kind: bytes
) -> None:
    member = tarfile.TarInfo(name)
    member.type = kind
    member.linkname = "/etc/shadow"
    path = _bundle_with(tmp_path, member)
    with pytest.raises(UnsafeBundleMember):
        BundleReader(path)


def test_extract_writes_only_inside_the_destination(tmp_path: Path, archive: Path) -> None:
    bundle = tmp_path / "site.edgebundle"
    create_bundle(bundle, archives=[archive])
    dest = tmp_path / "out"
    with BundleReader(bundle) as reader:
        written = reader.extract(dest)
    assert written and all(dest.resolve() in path.parents for path in written)
