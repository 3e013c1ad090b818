"""Updates against a lab device: an init stops PID 1s that ignore SIGTERM, dependents stop
first, the service's own healthcheck passes the gate before the engine's first check."""

from __future__ import annotations

import time
from pathlib import Path

import docker
import pytest

from edgegui.core.deploy import deploy_stack
from edgegui.core.deploy.spec import STOP_TIMEOUT
from edgegui.core.templates import load_template_file, render_stack
from edgegui.core.transport.base import Transport
from tests.core.deploy.conftest import TEMPLATE
from tests.lab import LabDevice

pytestmark = pytest.mark.lab
STACK = "upd"
PROJECT = "com.docker.compose.project"


def template(tmp_path: Path) -> Path:
    """web.yaml with the pitfalls left in: no SIGTERM trap, a slow engine healthcheck."""
    text = TEMPLATE.read_text()
    text = text.replace("trap 'exit 0' TERM; ", "")
    text = text.replace("interval: 1s", "interval: 60s")
    text = text.replace("    worker:\n", "    worker:\n      stop_grace_period: 30s\n")
    path = tmp_path / "pitfalls.yaml"
    path.write_text(text)
    return path


def test_update_stops_fast_in_dependency_order_and_gates_on_the_own_healthcheck(
    site: LabDevice, transport: Transport, bundle: Path, tmp_path: Path
) -> None:
    path = template(tmp_path)
    values: dict[str, object] = {"API_TOKEN": "token-" + "y" * 20, "WEB_PORT": 18111}
    rendered = render_stack(load_template_file(path), values)
    first = deploy_stack(transport, rendered, stack=STACK, bundle=bundle, health_timeout=40)
    assert first.ok, first.reason
    client = docker.DockerClient(base_url="unix://" + site.docker_socket)
    try:
        old = {c.name: c for c in client.containers.list(filters={"label": f"{PROJECT}={STACK}"})}
        assert all(c.attrs["HostConfig"]["Init"] is True for c in old.values())
        assert old["upd-worker-1"].labels[STOP_TIMEOUT] == "30"
        since = time.time() - 1
        values.update(WEB_PORT=18112, MESSAGE="second")  # changes both services
        update = deploy_stack(
            transport,
            render_stack(load_template_file(path), values),
            stack=STACK,
            health_timeout=40,
        )
        assert update.ok, update.reason
        assert update.changed == ["web", "worker"]
        steps = [step for step, _ in update.steps]
        assert steps[-4:-1] == ["start new containers", "health gate", "remove old containers"]
        assert update.to_dict()["steps"][0]["step"] == "reach the engine"
        # The gate passed on our own run of the healthcheck: the engine has not run it yet.
        web = client.containers.get("upd-web-1")
        assert web.attrs["State"]["Health"]["Status"] == "starting"
        assert update.services["web"].health == "healthy"
        died = [
            (event["Actor"]["Attributes"]["name"], event["Actor"]["Attributes"]["exitCode"])
            for event in client.events(
                since=since, until=time.time(), decode=True, filters={"event": "die"}
            )
        ]
    finally:
        client.close()
    # SIGTERM ended both (143), not the SIGKILL after the grace period (137); the dependent
    # worker stopped before the web service it depends on.
    assert died == [("upd-worker-1-previous", "143"), ("upd-web-1-previous", "143")]
