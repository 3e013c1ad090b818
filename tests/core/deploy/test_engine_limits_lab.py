"""A device whose engine cannot enforce every limit: a cgroup v2 layout where the host left
the controllers elsewhere (tests/lab/flags.py ``cgroup=v2``). On this lab host the real
dockerd then reports no CPU quota, shares, memory or PIDs limits; a host whose cgroup v2
delegates every controller gives a full engine, and the drop checks say so and skip."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.run import edgegui
from tests.conftest import one_device
from tests.core.deploy.conftest import TEMPLATE, web_bundle
from tests.lab import LabDevice
from tests.lab.flags import DeviceFlags

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def bare() -> Iterator[LabDevice]:
    with one_device(flags=DeviceFlags(cgroup="v2")) as device:
        yield device


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return web_bundle(tmp_path_factory.mktemp("limits"))


def ssh(device: LabDevice) -> list[str]:
    return device.ssh_cli


def engine_flags(device: LabDevice) -> dict:
    result = edgegui("discover", *ssh(device), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["docker"]


def test_preflight_names_what_the_engine_cannot_enforce(bare: LabDevice):
    docker = engine_flags(bare)
    assert docker["cgroup_version"] == 2
    result = edgegui("discover", *ssh(bare), "--preflight")
    line = next(text for text in result.stdout.splitlines() if "engine-limits" in text)
    if docker["cpu_cfs_quota"] is not False:
        pytest.skip(f"this host delegates every controller to cgroup v2: {line.strip()}")
    assert "cannot enforce CPU quota" in line


def test_a_strict_template_is_refused_before_anything_changes(bare, bundle, tmp_path):
    if engine_flags(bare)["memory_limit_enforced"] is not False:
        pytest.skip("this host's cgroup v2 enforces memory limits")
    strict = tmp_path / "strict.yaml"
    text = TEMPLATE.read_text().replace("  min_disk: 100M\n", "  min_disk: 100M\n"
                                        "  engine_features: [memory-limit]\n")  # fmt: skip
    strict.write_text(text.replace("name: deploytest", "name: strict"))
    result = edgegui("deploy", *ssh(bare), "--template", str(strict), "--bundle", str(bundle))
    assert result.returncode == 1
    assert "needs memory limits, which the device's engine cannot enforce" in result.stderr
    assert bare.exec(["docker", "images", "-q"]).strip() == ""  # not one byte of image sent
    assert bare.exec(["docker", "ps", "-aq"]).strip() == ""


def test_limits_are_adapted_and_the_stack_runs_and_reports(bare, bundle):
    flags = engine_flags(bare)
    result = edgegui(
        "deploy", *ssh(bare), "--template", str(TEMPLATE), "--bundle", str(bundle),
        "--stack", "web", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    notes = json.loads(result.stdout)["notes"]
    assert notes == [line[len("edgegui: note: ") :] for line in result.stderr.splitlines()
                     if line.startswith("edgegui: note: ")]  # fmt: skip
    if flags["cpu_cfs_quota"] is False:
        assert any("cpus" in note and "dropped" in note for note in notes), notes
    if flags["memory_limit_enforced"] is False:
        assert any("mem_limit 64M dropped" in note for note in notes), notes
    status = edgegui("status", *ssh(bare), "--json")
    assert status.returncode == 0, status.stderr
    (stack,) = [s for s in json.loads(status.stdout)["stacks"] if s["name"] == "web"]
    for container in stack["containers"]:
        assert container["state"] == "running" and not container["errors"], container
        assert container["cpu_total_ns"], container  # cpu.stat of the v2 layout
