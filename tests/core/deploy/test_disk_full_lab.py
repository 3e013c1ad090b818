"""A load that fills the engine's disk fails cleanly: nothing of the running stack stops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from edgegui.core.bundle import create_bundle
from edgegui.core.deploy import TransferError, deploy_stack
from tests.core.deploy.conftest import IMAGE, connect, render
from tests.core.deploy.images import filler_layer, image_archive
from tests.lab import Lab, LabDevice, lab_unavailable_reason

pytestmark = pytest.mark.lab
BIG = "edgegui-test/too-big:1"


@pytest.fixture(scope="module")
def small_disk() -> Iterator[LabDevice]:
    reason = lab_unavailable_reason()
    if reason:
        pytest.skip(reason)
    lab = Lab([None], docker_size_mb=48).start()
    try:
        yield lab.devices[0]
    finally:
        lab.stop()


def test_disk_full_during_load_leaves_the_old_stack_running(
    small_disk: LabDevice, tmp_path: Path
) -> None:
    small, big = tmp_path / "small.edgebundle", tmp_path / "big.edgebundle"
    create_bundle(small, archives=[image_archive(tmp_path / "s.tar", IMAGE)])
    layer = filler_layer(64 * 1024 * 1024)
    create_bundle(big, archives=[image_archive(tmp_path / "b.tar", BIG, (layer,))])
    transport = connect(small_disk)
    try:
        assert deploy_stack(transport, render(), stack="full", bundle=small).ok
        client = docker.DockerClient(base_url="unix://" + small_disk.docker_socket)
        label = {"label": "com.docker.compose.project=full"}
        before = {c.name: (c.id, c.status) for c in client.containers.list(all=True, filters=label)}
        with pytest.raises(TransferError, match="docker load refused"):
            deploy_stack(transport, render(WEB_IMAGE=BIG), stack="full", bundle=big)
        after = {c.name: (c.id, c.status) for c in client.containers.list(all=True, filters=label)}
        client.close()
    finally:
        transport.close()
    assert after == before
    assert {status for _, status in after.values()} == {"running"}
