"""The openfaas add-on: a Swarm-only stack, checked by the real tools; other formats refuse it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from edgegui.core.deploy import DeployError, deploy_stack
from edgegui.core.templates import RenderError, load_template, render_stack
from edgegui.core.transport.factory import TransportOptions, open_transport
from tests.core.templates.conftest import compose_config, stack_config, write_bundle

VALUES = {"DOCKER_GID": "998"}


def swarm_services(tmp_path: Path, **values: str) -> dict[str, Any]:
    stack = render_stack("telecom", {**VALUES, **values}, addons=["openfaas"])
    main = write_bundle(stack, "swarm", tmp_path)
    loaded = stack_config(main)
    assert loaded.returncode == 0, loaded.stderr
    checked = compose_config(main, "-q")
    assert checked.returncode == 0, checked.stderr
    document: dict[str, Any] = yaml.safe_load(main.read_text())
    return document


def test_swarm_stack_has_gateway_and_provider_as_upstream_runs_them(tmp_path: Path) -> None:
    document = swarm_services(tmp_path, GATEWAY_UPSTREAM_TIMEOUT="2m", GATEWAY_PORT="8081")
    gateway, provider = document["services"]["gateway"], document["services"]["faas-swarm"]
    assert gateway["image"] == "ghcr.io/openfaas/gateway:0.20.1"
    assert provider["image"] == "ghcr.io/openfaas/faas-swarm:0.9.0"
    assert gateway["deploy"]["resources"]["limits"]["memory"] == "128M"
    assert gateway["environment"]["upstream_timeout"] == "2m"
    assert gateway["environment"]["functions_provider_url"] == "http://faas-swarm:8080/"
    assert {"read_timeout", "write_timeout"} <= set(provider["environment"])
    assert gateway["ports"][0]["published"] == 8081
    assert "node.role == manager" in provider["deploy"]["placement"]["constraints"]
    assert "node.role == manager" not in str(gateway["deploy"].get("placement"))
    socket = next(v for v in provider["volumes"] if v.get("type") == "bind")
    assert socket["source"] == socket["target"] == "/var/run/docker.sock"
    assert provider["user"] == "65534:998" and provider["read_only"] is True
    assert document["networks"]["default"] == {"attachable": True, "labels": {"openfaas": "true"}}


def test_the_socket_mount_is_a_written_waiver(tmp_path: Path) -> None:
    stack = render_stack("telecom", VALUES, addons=["openfaas"])
    waivers = {(w.service, w.rule): w.reason for w in stack.waivers}
    assert "engine's socket" in waivers[("faas-swarm", "docker_socket")]
    text = stack.to_swarm_yaml()
    header = text.split("\nnetworks:", 1)[0]
    assert "faas-swarm: mounts the Docker socket" in header
    labels = yaml.safe_load(text)["services"]["faas-swarm"]["labels"]
    assert labels["io.edgegui.waiver.docker_socket"].startswith("faas-swarm creates")


def test_images_and_timeouts_are_parameters() -> None:
    addon = load_template("openfaas", kind="addon")
    assert {
        "OPENFAAS_GATEWAY_IMAGE",
        "OPENFAAS_PROVIDER_IMAGE",
        "GATEWAY_READ_TIMEOUT",
        "GATEWAY_WRITE_TIMEOUT",
        "GATEWAY_UPSTREAM_TIMEOUT",
    } <= set(addon.parameters)
    assert addon.formats == ("swarm",)
    stack = render_stack(
        "telecom",
        {**VALUES, "OPENFAAS_GATEWAY_IMAGE": "registry.local/faas/gateway:9"},
        addons=["openfaas"],
    )
    assert "registry.local/faas/gateway:9" in stack.images


@pytest.mark.parametrize("fmt", ["compose", "k8s"])
def test_every_other_format_refuses_with_one_line(fmt: str, tmp_path: Path) -> None:
    stack = render_stack("telecom", VALUES, addons=["openfaas"])
    with pytest.raises(RenderError, match="add-on openfaas runs only on Docker Swarm"):
        stack.render(fmt)
    result = subprocess.run(
        [sys.executable, "-m", "edgegui", "render", "telecom", "--addon", "openfaas"]
        + ["--set", "DOCKER_GID=998", "--format", fmt, "-o", str(tmp_path / "out.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"edgegui: telecom: add-on openfaas runs only on Docker Swarm; it cannot be rendered "
        f"as {fmt} (use --format swarm)"
    )
    assert "Traceback" not in result.stderr and not (tmp_path / "out.yaml").exists()


def test_engine_deploy_refuses_a_swarm_only_stack_before_touching_the_device() -> None:
    stack = render_stack("telecom", VALUES, addons=["openfaas"])
    transport = open_transport("local://", TransportOptions())
    try:
        with pytest.raises(DeployError, match="add-on openfaas cannot run as a Compose stack"):
            deploy_stack(transport, stack, stack="telecom")
    finally:
        transport.close()
