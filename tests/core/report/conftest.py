"""A retail lab device with the retail stack deployed through the CLI, shared by the
report tests (they only read it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from edgegui.cli.main import main
from tests.conftest import start_lab
from tests.lab import LabDevice
from tests.lab.images import import_busybox_image

TOKEN = "planted-Secret-" + "7" * 16
STORE_ID = "store-017"


@dataclass
class RetailSite:
    device: LabDevice
    scanner: str  # the by-id path the stack was given
    scanner_gid: int


def connection_args(device: LabDevice) -> list[str]:
    return ["--identity", str(device.key_path), "--known-hosts", str(device.known_hosts)]


def deploy_retail(device: LabDevice, monkeypatch: pytest.MonkeyPatch) -> RetailSite:
    """Images on the device (no registry in the lab), then ``edgegui deploy`` as a user would."""
    for tag in ("edgegui/pos-service:latest", "edgegui/inventory-sync:latest"):
        import_busybox_image(device, tag)
    listing = device.exec(["sh", "-c", "ls /dev/input/by-id/ | grep -i symbol | head -n 1"])
    scanner = f"/dev/input/by-id/{listing.strip()}"
    gid = int(device.exec(["stat", "-L", "-c", "%g", scanner]).strip())
    monkeypatch.setenv("RETAIL_TOKEN", TOKEN)
    site = RetailSite(device, scanner, gid)
    assert main(deploy_retail_args(site)) == 0, "the retail stack did not deploy"
    return site


def deploy_retail_args(site: RetailSite, store_id: str = STORE_ID) -> list[str]:
    return [
        "deploy",
        site.device.ssh_target,
        "--template",
        "retail",
        "--set",
        f"STORE_ID={store_id}",
        "--set",
        f"SCANNER_GID={site.scanner_gid}",
        "--set-env",
        "CLOUD_API_TOKEN=RETAIL_TOKEN",
        "--bind",
        f"scanner={site.scanner}",
        "--health-timeout",
        "90",
        *connection_args(site.device),
    ]


@contextmanager
def retail_lab(data_home: Path) -> Iterator[RetailSite]:
    """A retail lab device running the retail stack, with an audit log of its own
    (lab addresses are reused by later labs)."""
    lab = start_lab(["retail"])
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
        try:
            yield deploy_retail(lab.devices[0], monkeypatch)
        finally:
            lab.stop()


@pytest.fixture(scope="module")
def retail_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RetailSite]:
    with retail_lab(tmp_path_factory.mktemp("data")) as site:
        yield site
