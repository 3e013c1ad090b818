"""Deploys that meet trouble: a cut link, a restarted dockerd, a foreign architecture, and
many update/rollback cycles that must never touch the data in named volumes."""

from __future__ import annotations

import threading
from pathlib import Path

import docker
import pytest

from edgegui.core.bundle import create_bundle
from edgegui.core.deploy import ArchitectureMismatch, deploy_stack, rollback_stack
from edgegui.core.deploy.transfer import STAGING
from edgegui.core.errors import EdgeGUIError
from edgegui.core.events import Progress
from edgegui.core.templates import RenderedStack
from edgegui.core.transport.base import Transport
from tests.core.deploy.conftest import connect, render
from tests.core.deploy.images import filler_layer, image_archive
from tests.lab import LabDevice

pytestmark = pytest.mark.lab


def containers_of(device: LabDevice, stack: str) -> list[str]:
    client = docker.DockerClient(base_url="unix://" + device.docker_socket)
    names = [
        c.name
        for c in client.containers.list(
            all=True, filters={"label": f"com.docker.compose.project={stack}"}
        )
    ]
    client.close()
    return sorted(names)


def stack_of(image: str) -> RenderedStack:
    return render(WEB_IMAGE=image, WORKER_IMAGE=image, WEB_PORT=18081)


def test_foreign_architecture_is_refused_before_sending(
    site: LabDevice, transport: Transport, tmp_path: Path
) -> None:
    archive = image_archive(tmp_path / "arm.tar", "edgegui-test/arm:1", arch="arm64")
    bundle = tmp_path / "arm.edgebundle"
    create_bundle(bundle, archives=[archive])
    with pytest.raises(ArchitectureMismatch, match="arm64"):
        deploy_stack(
            transport,
            stack_of("edgegui-test/arm:1"),
            stack="arch",
            bundle=bundle,
        )
    staged = site.exec(["sh", "-c", f"ls /home/tech/{STAGING} 2>/dev/null || true"])
    assert staged.strip() == ""


def test_cut_link_mid_transfer_resumes_without_resending(site: LabDevice, tmp_path: Path) -> None:
    tag = "edgegui-test/big:1"
    archive = image_archive(tmp_path / "big.tar", tag, (filler_layer(40 * 1024 * 1024),))
    bundle = tmp_path / "big.edgebundle"
    manifest = create_bundle(bundle, archives=[archive])
    layers = manifest.images[0].compressed_size

    def cut_at_half(event: Progress) -> None:
        half = event.task == "transfer" and event.total and event.done >= event.total // 2
        if half and not cut.is_set():
            cut.set()
            site.cut_link()

    cut = threading.Event()
    first = connect(site)
    try:
        with pytest.raises(EdgeGUIError):
            deploy_stack(
                first,
                stack_of(tag),
                stack="resume",
                bundle=bundle,
                progress=cut_at_half,
            )
    finally:
        site.restore_link()
        first.close()
    assert cut.is_set()
    second = connect(site)
    try:
        result = deploy_stack(
            second,
            stack_of(tag),
            stack="resume",
            bundle=bundle,
            health_timeout=60,
        )
    finally:
        second.close()
    assert result.ok, result.reason
    assert result.bytes_sent < layers * 0.6  # only what had not arrived before the cut
    assert containers_of(site, "resume") == ["resume-web-1", "resume-worker-1"]


def test_dockerd_restarted_mid_deploy_converges_without_duplicates(
    site: LabDevice, transport: Transport, bundle: Path
) -> None:
    assert deploy_stack(transport, render(WEB_PORT=18082), stack="restart", bundle=bundle).ok
    failures: list[BaseException] = []

    def update() -> None:
        try:
            deploy_stack(
                transport,
                render(MESSAGE="during", WEB_PORT=18082),
                stack="restart",
                health_timeout=30,
            )
        except BaseException as exc:  # noqa: BLE001 - the engine vanishing is expected here
            failures.append(exc)

    worker = threading.Thread(target=update)
    worker.start()
    site.restart_dockerd()
    worker.join(timeout=120)
    again = connect(site)
    try:
        result = deploy_stack(
            again, render(MESSAGE="after", WEB_PORT=18082), stack="restart", health_timeout=60
        )
    finally:
        again.close()
    assert result.ok, result.reason
    assert containers_of(site, "restart") == ["restart-web-1", "restart-worker-1"]
    message = site.exec(["docker", "exec", "restart-worker-1", "cat", "/data/message"])
    assert message.strip() == "after"


def test_volume_sentinel_survives_twenty_update_rollback_cycles(
    site: LabDevice, transport: Transport, bundle: Path
) -> None:
    assert deploy_stack(transport, render(WEB_PORT=18083), stack="cycle", bundle=bundle).ok
    sentinel = "sentinel-" + "7" * 16
    site.exec(["docker", "exec", "cycle-worker-1", "sh", "-c", f"echo {sentinel} > /data/keep"])
    for cycle in range(20):
        update = deploy_stack(transport, render(MESSAGE=f"c{cycle}", WEB_PORT=18083), stack="cycle")
        assert update.ok, update.reason
        back = rollback_stack(transport, "cycle")
        assert back.ok, back.reason
    kept = site.exec(["docker", "exec", "cycle-worker-1", "cat", "/data/keep"]).strip()
    assert kept == sentinel
    assert containers_of(site, "cycle") == ["cycle-web-1", "cycle-worker-1"]
