"""Deploy tests share one lab device of their own (they deploy, update and break stacks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from edgegui.core.bundle import create_bundle
from edgegui.core.templates import RenderedStack, load_template_file, render_stack
from edgegui.core.transport.base import Transport
from edgegui.core.transport.factory import TransportOptions, open_transport
from tests.conftest import start_lab
from tests.core.deploy.images import image_archive
from tests.lab import LabDevice

TEMPLATE = Path(__file__).with_name("web.yaml")
IMAGE = "edgegui-test/busybox:1"
SECRET = "token-" + "x" * 20


@pytest.fixture(scope="module")
def site() -> Iterator[LabDevice]:
    running = start_lab([None])
    try:
        yield running.devices[0]
    finally:
        running.stop()


def connect(device: LabDevice) -> Transport:
    options = TransportOptions(identity=device.key_path, known_hosts=device.known_hosts)
    return open_transport(device.ssh_target, options)


@pytest.fixture
def transport(site: LabDevice) -> Iterator[Transport]:
    opened = connect(site)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("bundle")
    archive = image_archive(work / "busybox.tar", IMAGE)
    path = work / "test.edgebundle"
    create_bundle(path, archives=[archive], template="deploytest")
    return path


def web_bundle(work: Path, tag: str = IMAGE, extra_layers: tuple[bytes, ...] = ()) -> Path:
    """A bundle of one busybox image (plus layers) for the web.yaml test stack."""
    path = work / f"{tag.replace('/', '_').replace(':', '_')}.edgebundle"
    archive = image_archive(work / f"{path.stem}.tar", tag, extra_layers)
    create_bundle(path, archives=[archive], template="deploytest")
    return path


def render(**values: object) -> RenderedStack:
    return render_stack(load_template_file(TEMPLATE), {"API_TOKEN": SECRET, **values})


def engine(device: LabDevice) -> docker.DockerClient:
    """The device's Docker Engine, straight through its socket (for checks, not for deploys)."""
    return docker.DockerClient(base_url="unix://" + device.docker_socket)


def stack_images(device: LabDevice, stack: str) -> dict[str, str]:
    """Container name -> image ID of every container of ``stack``."""
    client = engine(device)
    try:
        containers = client.containers.list(
            all=True, filters={"label": f"com.docker.compose.project={stack}"}
        )
        return {c.name: c.attrs["Image"] for c in containers}
    finally:
        client.close()
