"""Containers labelled like a deployed Compose stack, made directly on a lab device's engine."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import docker

from tests.lab.images import import_busybox_image

IMAGE = "edgegui-test/busybox:1"
BUSYBOX = "/bin/busybox"


def engine(device: Any) -> docker.DockerClient:
    return docker.DockerClient(base_url="unix://" + device.docker_socket)


def ensure_image(device: Any, client: docker.DockerClient) -> None:
    try:
        client.images.get(IMAGE)
    except docker.errors.ImageNotFound:
        import_busybox_image(device, IMAGE)


def run_service(
    client: docker.DockerClient,
    stack: str,
    service: str,
    command: list[str],
    *,
    index: int = 1,
    **options: Any,
) -> Any:
    """Start a container the way ``docker compose up`` names and labels it."""
    labels = {
        "com.docker.compose.project": stack,
        "com.docker.compose.service": service,
        "com.docker.compose.container-number": str(index),
        **options.pop("labels", {}),
    }
    name = f"{stack}-{service}-{index}"
    for attempt in range(3):
        try:
            return client.containers.run(
                IMAGE, command, name=name, labels=labels, detach=True, **options
            )
        except docker.errors.APIError as exc:
            # runc's init can die at start on a loaded 2-core host ("write init-p: broken
            # pipe"): a runtime hiccup of the lab, not what the tests look at. Start anew.
            if "OCI runtime" not in str(exc) or attempt == 2:
                raise
            client.api.remove_container(name, force=True)
    raise AssertionError("unreachable")


def shell(script: str) -> list[str]:
    return [BUSYBOX, "sh", "-c", script]


def remove_all(client: docker.DockerClient) -> None:
    """Remove every container; a restart loop can refuse removal for a moment, so retry."""
    for _ in range(5):
        left = client.containers.list(all=True)
        for container in left:
            try:
                container.update(restart_policy={"Name": "no"})
                container.remove(force=True)
            except docker.errors.APIError:
                pass  # already going, or restarting right now: the next pass sees
        if not left:
            return
        time.sleep(0.5)


@contextmanager
def device_running(
    setup: Callable[[docker.DockerClient], None], flags: Any = None
) -> Iterator[Any]:
    """A lab device of its own whose engine runs what ``setup`` starts; all removed after."""
    from tests.conftest import start_lab

    lab = start_lab([None], None if flags is None else [flags])
    device = lab.devices[0]
    client = engine(device)
    try:
        ensure_image(device, client)
        setup(client)
        yield device
    finally:
        try:
            remove_all(client)
            client.close()
        finally:
            lab.stop()


def wait_for(check: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
