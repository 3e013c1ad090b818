"""Deploys from a bundle run exactly the bundled images, by ID, on a real lab engine."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from edgegui.core.bundle import BundleTampered, verify_bundle
from edgegui.core.deploy import deploy_stack, rollback_stack
from edgegui.core.transport.base import Transport
from tests.core.bundle.savearchive import layer_tar
from tests.core.bundle.test_pinning import rewrite
from tests.core.deploy.conftest import IMAGE, engine, render, stack_images
from tests.lab import LabDevice
from tests.lab.images import import_busybox_image

pytestmark = pytest.mark.lab
STACK = "pinned"


def device_snapshot(device: LabDevice) -> dict[str, Any]:
    """Everything a refused deploy must leave as it was: containers, images, tags, files."""
    client = engine(device)
    try:
        containers = sorted(
            (c.name, c.id, c.attrs["Image"], c.status) for c in client.containers.list(all=True)
        )
        images = sorted((i.id, tuple(sorted(i.tags))) for i in client.images.list(all=True))
        volumes = sorted(v.name for v in client.volumes.list())
    finally:
        client.close()
    files = device.exec(["sh", "-c", "find ~tech/.cache ~tech/.local 2>/dev/null | sort"])
    return {"containers": containers, "images": images, "volumes": volumes, "files": files}


def test_a_decoy_under_the_same_tag_never_runs(
    site: LabDevice, transport: Transport, bundle: Path
) -> None:
    bundled = verify_bundle(bundle).image(IMAGE)
    assert bundled is not None
    # The device already has something else under the bundle's tag (a stale or a planted one).
    import_busybox_image(site, IMAGE, '["/bin/sleep", "7"]')
    client = engine(site)
    decoy = client.images.get(IMAGE).id
    client.close()
    assert decoy != bundled.image_id

    result = deploy_stack(transport, render(), stack=STACK, bundle=bundle, health_timeout=60)
    assert result.ok, result.reason
    assert set(stack_images(site, STACK).values()) == {bundled.image_id}
    assert result.images["web"] == {"image": IMAGE, "id": bundled.image_id}

    # The tag moves again after the deploy: what runs, and what a rollback or a redeploy from
    # the same bundle runs, is still the bundled image.
    site.exec(["docker", "tag", decoy, IMAGE])
    again = deploy_stack(
        transport, render(MESSAGE="two"), stack=STACK, bundle=bundle, health_timeout=60
    )
    assert again.ok and again.changed == ["worker"], again.reason
    assert set(stack_images(site, STACK).values()) == {bundled.image_id}
    site.exec(["docker", "tag", decoy, IMAGE])
    back = rollback_stack(transport, STACK, health_timeout=60)
    assert back.ok, back.reason
    assert set(stack_images(site, STACK).values()) == {bundled.image_id}
    state = transport.run(["cat", f".local/share/edgegui/stacks/{STACK}/current.json"]).text
    assert set(json.loads(state)["images"].values()) == {bundled.image_id}


def test_a_bundle_whose_image_does_not_match_its_digest_changes_nothing(
    site: LabDevice, transport: Transport, bundle: Path
) -> None:
    impostor = gzip.compress(layer_tar({"bin/sh": b"#!/bin/busybox sh\necho pwned\n"}), mtime=0)
    hex_digest = hashlib.sha256(impostor).hexdigest()

    def swap_layer(manifest: dict[str, Any]) -> None:
        layer = manifest["images"][0]["layers"][0]  # DiffID kept: the config still promises it
        layer["digest"], layer["compressed_size"] = "sha256:" + hex_digest, len(impostor)

    forged = rewrite(bundle, swap_layer, {f"blobs/sha256/{hex_digest}": impostor})
    site.exec(["docker", "rmi", "-f", IMAGE], check=False)  # so the bundle must send it
    before = device_snapshot(site)
    assert f"stacks/{STACK}/current.json" in before["files"]
    with pytest.raises(BundleTampered, match="does not unpack to its recorded digest"):
        deploy_stack(transport, render(MESSAGE="three"), stack=STACK, bundle=forged)
    assert device_snapshot(site) == before
