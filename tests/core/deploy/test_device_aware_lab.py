"""Deploy knows the device it is connected to: slots bind themselves when one device fits,
several candidates are listed, the scanner's group comes from the device, and udev by-id
names with colons reach the container intact (structured, never ``src:dst:perm``)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import docker
import pytest

from tests.cli.run import edgegui
from tests.conftest import start_lab
from tests.lab import Lab, LabDevice
from tests.lab.images import import_busybox_image

pytestmark = pytest.mark.lab
TOKEN = {"TOK": "tok-" + "y" * 24}
IMAGES = ("edgegui/pos-service:latest", "edgegui/inventory-sync:latest")


@pytest.fixture(scope="module")
def shops() -> Iterator[tuple[LabDevice, LabDevice]]:
    """A till with two scanners (retail) and one with exactly one (gateway)."""
    lab: Lab = start_lab(["retail", "gateway"])
    try:
        for device in lab.devices:
            for tag in IMAGES:
                import_busybox_image(device, tag)
        yield lab.devices[0], lab.devices[1]
    finally:
        lab.stop()


def deploy(device: LabDevice, *extra: str):  # type: ignore[no-untyped-def]
    return edgegui(
        "deploy", device.ssh_target, "--identity", str(device.key_path),
        "--known-hosts", str(device.known_hosts), "--template", "retail",
        "--set-env", "CLOUD_API_TOKEN=TOK", *extra, env=TOKEN,
    )  # fmt: skip


def pos_container(device: LabDevice) -> dict:
    client = docker.DockerClient(base_url="unix://" + device.docker_socket)
    try:
        return client.api.inspect_container("retail-pos-service-1")
    finally:
        client.close()


def by_id_links(device: LabDevice, folder: str) -> list[str]:
    listing = device.exec(["sh", "-c", f'ls -1 "{folder}" 2>/dev/null || true'])
    return [f"{folder}/{name}" for name in listing.split()]


def test_several_scanners_are_listed_and_nothing_changes(shops):
    till, _ = shops
    result = deploy(till)
    assert result.returncode == 1
    assert result.stderr.count("\n") <= 2, result.stderr  # the probe line, then one error
    error = result.stderr.strip().splitlines()[-1]
    assert "slot scanner" in error and "2 devices match" in error and "--bind scanner=" in error
    assert "--inventory" not in error
    symbol = next(p for p in by_id_links(till, "/dev/input/by-id") if "Symbol" in p)
    assert ":" in symbol.rsplit("/", 1)[1] and symbol in error
    assert till.exec(["docker", "ps", "-aq"]).strip() == ""


def test_a_by_id_name_with_colons_reaches_the_container(shops):
    till, _ = shops
    symbol = next(p for p in by_id_links(till, "/dev/input/by-id") if "Symbol" in p)
    result = deploy(till, "--bind", f"scanner={symbol}", "--json")
    assert result.returncode == 0, result.stderr
    input_gid = int(till.exec(["getent", "group", "input"]).split(":")[2])
    assert f"SCANNER_GID={input_gid}: the group owning {symbol}" in result.stderr
    assert f"SCANNER_GID={input_gid}" in "".join(json.loads(result.stdout)["notes"])
    host = pos_container(till)["HostConfig"]
    assert host["Devices"] == [
        {"PathOnHost": symbol, "PathInContainer": "/dev/scanner", "CgroupPermissions": "r"}
    ]
    assert host["GroupAdd"] == [str(input_gid)]
    shown = till.exec(["docker", "exec", "retail-pos-service-1", "ls", "-ln", "/dev/scanner"])
    assert shown.startswith("c") and f" {input_gid} " in shown


def test_the_only_scanner_binds_itself(shops):
    _, gateway = shops
    result = deploy(gateway)
    assert result.returncode == 0, result.stderr
    (scanner,) = by_id_links(gateway, "/dev/input/by-id")
    assert f"slot scanner: bound to {scanner}, the only match on the device" in result.stderr
    assert pos_container(gateway)["HostConfig"]["Devices"][0]["PathOnHost"] == scanner
