"""Digests in bundles: each image is exactly the one recorded, and references pin to it."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from edgegui.core.bundle import BundleError, BundleTampered, create_bundle, verify_bundle
from edgegui.core.bundle.manifest import MANIFEST_NAME
from edgegui.core.bundle.pinning import pin_images, repository
from tests.core.bundle.savearchive import layer_tar, write_save_archive
from tests.core.templates.conftest import compose_config

REF = "example/app:1"
REGISTRY_DIGEST = "example/app@sha256:" + "d" * 64
BASE = layer_tar({"bin/tool": os.urandom(2048)})
APP = layer_tar({"app/run.sh": b"#!/bin/sh\necho hi\n" * 50})


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    archive = tmp_path / "app.tar"
    write_save_archive(archive, REF, [BASE, APP])
    path = tmp_path / "app.edgebundle"
    create_bundle(path, archives=[archive])
    return path


def rewrite(
    bundle: Path,
    change: Callable[[dict[str, Any]], None] = lambda manifest: None,
    blobs: dict[str, bytes] | None = None,
) -> Path:
    """A copy of ``bundle`` whose manifest went through ``change`` and with ``blobs`` added or
    replaced (their member digests updated, as a careful forger would)."""
    out = bundle.with_name("forged.edgebundle")
    with tarfile.open(bundle) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    manifest = json.loads(members.pop(MANIFEST_NAME))
    for name, data in (blobs or {}).items():
        members[name] = data
        manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    change(manifest)
    members = {MANIFEST_NAME: json.dumps(manifest).encode(), **members}
    with tarfile.open(out, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def image_of(manifest: dict[str, Any]) -> dict[str, Any]:
    image: dict[str, Any] = manifest["images"][0]
    return image


def test_a_config_listed_under_another_digest_is_refused(bundle: Path) -> None:
    config_name = "blobs/sha256/" + verify_bundle(bundle).images[0].image_id.removeprefix("sha256:")
    other = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"diff_ids": []}})
    forged = rewrite(bundle, blobs={config_name: other.encode()})
    with pytest.raises(BundleTampered, match="listed with the sha256 of other content"):
        verify_bundle(forged)


def test_a_layer_that_does_not_unpack_to_its_diff_id_is_refused(bundle: Path) -> None:
    impostor = gzip.compress(layer_tar({"app/run.sh": b"#!/bin/sh\nrm -rf /data\n"}), mtime=0)
    hex_digest = hashlib.sha256(impostor).hexdigest()

    def swap_layer(manifest: dict[str, Any]) -> None:
        layer = image_of(manifest)["layers"][1]
        layer["digest"], layer["compressed_size"] = "sha256:" + hex_digest, len(impostor)

    forged = rewrite(bundle, swap_layer, {f"blobs/sha256/{hex_digest}": impostor})
    with pytest.raises(BundleTampered, match="layer 2: does not unpack to its recorded digest"):
        verify_bundle(forged)


def test_a_recorded_architecture_the_image_does_not_have_is_refused(bundle: Path) -> None:
    def claim_arm(manifest: dict[str, Any]) -> None:
        image_of(manifest)["architecture"] = "arm64"

    with pytest.raises(BundleTampered, match="recorded architecture 'arm64', the image is 'amd64'"):
        verify_bundle(rewrite(bundle, claim_arm))


def test_layers_in_another_order_than_the_config_are_refused(bundle: Path) -> None:
    def reorder(manifest: dict[str, Any]) -> None:
        image_of(manifest)["layers"].reverse()

    with pytest.raises(BundleTampered, match="not the ones its config lists"):
        verify_bundle(rewrite(bundle, reorder))


def test_pins_use_the_registry_digest_when_the_bundle_knows_one(bundle: Path) -> None:
    manifest = verify_bundle(bundle)
    (by_id,) = pin_images(manifest, [REF], "b")
    assert by_id.pinned == manifest.images[0].image_id and by_id.by == "image ID"

    def add_digests(raw: dict[str, Any]) -> None:
        image_of(raw)["repo_digests"] = ["other/app@sha256:" + "e" * 64, REGISTRY_DIGEST]

    pinned_manifest = verify_bundle(rewrite(bundle, add_digests))
    assert pinned_manifest.images[0].repo_digests == (
        "other/app@sha256:" + "e" * 64,
        REGISTRY_DIGEST,
    )
    (by_digest,) = pin_images(pinned_manifest, [REF], "b")
    assert by_digest.pinned == "example/app:1@sha256:" + "d" * 64
    assert by_digest.by == "registry digest"
    with pytest.raises(BundleError, match="image example/other:2 is not in the bundle"):
        pin_images(pinned_manifest, ["example/other:2"], "b")


def test_repository_of_a_reference_keeps_registry_ports() -> None:
    assert repository("registry.local:5000/team/app:1.2") == "registry.local:5000/team/app"
    assert repository("registry.local:5000/team/app") == "registry.local:5000/team/app"
    assert repository("app@sha256:" + "a" * 64) == "app"


def test_a_malformed_registry_digest_is_refused(bundle: Path) -> None:
    def bad(raw: dict[str, Any]) -> None:
        image_of(raw)["repo_digests"] = ["example/app@md5:abc"]

    with pytest.raises(BundleError, match="not a repository@sha256 digest"):
        verify_bundle(rewrite(bundle, bad))


class _FakeImage:
    """A docker SDK Image as an engine that pulled it from a registry describes it."""

    def __init__(self, archive: Path) -> None:
        self.archive = archive
        self.attrs = {"RepoDigests": [REGISTRY_DIGEST]}

    def save(self, named: str) -> Iterator[bytes]:
        yield self.archive.read_bytes()


class _FakeClient:
    def __init__(self, archive: Path) -> None:
        self.images = self
        self.archive = archive

    def get(self, ref: str) -> _FakeImage:
        return _FakeImage(self.archive)


def test_bundles_from_an_engine_record_its_registry_digests(tmp_path: Path) -> None:
    archive = tmp_path / "pulled.tar"
    write_save_archive(archive, REF, [BASE])
    path = tmp_path / "pulled.edgebundle"
    create_bundle(path, images=[REF], client=_FakeClient(archive))  # type: ignore[arg-type]
    image = verify_bundle(path).images[0]
    assert image.repo_digests == (REGISTRY_DIGEST,)
    assert verify_bundle(path).summary()["images"][0]["repo_digests"] == [REGISTRY_DIGEST]


def test_render_pins_compose_images_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    template = tmp_path / "app.yaml"
    template.write_text(
        "schema_version: 1\n"
        "metadata: {name: app, title: App, description: x, version: 1.0.0}\n"
        f"stack:\n  services:\n    app:\n      image: {REF}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out" / "compose.yaml"
    command = [sys.executable, "-m", "edgegui", "render", str(template), "-o", str(out)]
    result = subprocess.run(
        [*command, "--bundle", str(bundle), "--pin-digests"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    image_id = verify_bundle(bundle).images[0].image_id
    assert yaml.safe_load(out.read_text())["services"]["app"]["image"] == image_id
    assert f"pinned {REF} -> {image_id} (image ID)" in result.stderr
    checked = compose_config(out, "-q")
    assert checked.returncode == 0, checked.stderr
    alone = subprocess.run([*command, "--pin-digests"], capture_output=True, text=True, timeout=60)
    assert alone.returncode != 0
    assert alone.stderr.strip() == (
        "edgegui: --pin-digests takes the digests from a bundle: add --bundle FILE"
    )
