"""Pure logic of deploy: service plans, config hashes, start order, layer chains, profiles."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import pytest

from edgegui.core.deploy import DeployError
from edgegui.core.deploy.daemon_profile import apply_profile, load_profile, merge_profile
from edgegui.core.deploy.health import OwnHealthCheck
from edgegui.core.deploy.spec import (
    CONFIG_HASH,
    PROJECT,
    SERVICE,
    STOP_TIMEOUT,
    ServicePlan,
    dependency_waves,
    plan_service,
    start_order,
)
from edgegui.core.deploy.transfer import chain_ids
from edgegui.core.target import Target
from edgegui.core.transport.base import CommandResult
from tests.core.deploy.conftest import render

IMAGE_ID = "sha256:" + "a" * 64


def web_plan(**values: object) -> ServicePlan:
    body = render(**values).compose["services"]["web"]
    return plan_service(
        "shop", "web", body, image_id=IMAGE_ID, secret_volume=None, config_paths={},
        file_digests={},
    )  # fmt: skip


def test_plan_carries_compose_labels_and_hardening() -> None:
    plan = web_plan()
    create = plan.create
    assert create["name"] == "shop-web-1" and create["image"] == IMAGE_ID
    assert create["labels"][PROJECT] == "shop" and create["labels"][SERVICE] == "web"
    assert create["labels"][CONFIG_HASH] == plan.config_hash
    assert create["cap_drop"] == ["ALL"] and create["read_only"] is True
    assert create["pids_limit"] > 0 and create["user"] == "65534:65534"
    assert create["ports"] == {"8080/tcp": ("127.0.0.1", 18080)}
    assert create["healthcheck"]["interval"] == 1_000_000_000
    assert create["mem_limit"] == 64 * 1024 * 1024
    assert plan.ports == (("127.0.0.1", 18080),)


def test_config_hash_changes_only_with_the_service() -> None:
    assert web_plan().config_hash == web_plan(MESSAGE="other").config_hash
    assert web_plan().config_hash != web_plan(WEB_PORT=18099).config_hash


def test_start_order_follows_depends_on_and_refuses_cycles() -> None:
    def plan(name: str, *deps: str) -> ServicePlan:
        return ServicePlan(name=name, create={}, config_hash="", depends_on=deps)

    plans = {"a": plan("a", "b"), "b": plan("b", "c"), "c": plan("c")}
    assert start_order(plans) == ["c", "b", "a"]
    with pytest.raises(DeployError, match="cycle"):
        start_order({"a": plan("a", "b"), "b": plan("b", "a")})


def test_independent_services_share_a_wave() -> None:
    def plan(name: str, *deps: str) -> ServicePlan:
        return ServicePlan(name=name, create={}, config_hash="", depends_on=deps)

    industrial = {
        "modbus-connector": plan("modbus-connector", "edge-analytics"),
        "edge-analytics": plan("edge-analytics"),
        "dashboard": plan("dashboard", "edge-analytics"),
    }
    assert dependency_waves(industrial) == [["edge-analytics"], ["dashboard", "modbus-connector"]]
    chain = {"a": plan("a", "b"), "b": plan("b", "c"), "c": plan("c"), "d": plan("d", "c")}
    assert dependency_waves(chain) == [["c"], ["b", "d"], ["a"]]
    assert dependency_waves({"x": plan("x", "gone")}) == [["x"]]  # outside the stack


def test_init_grace_period_and_device_paths_with_colons() -> None:
    body = dict(render().compose["services"]["web"])
    body["stop_grace_period"] = "45s"
    body["devices"] = [
        {"source": "/dev/input/by-id/usb-Sym_S_N:28A1-event-kbd", "target": "/dev/s"}
    ]
    plan = plan_service(
        "shop", "web", body, image_id=IMAGE_ID, secret_volume=None, config_paths={},
        file_digests={},
    )  # fmt: skip
    assert plan.create["init"] is True
    assert plan.stop_timeout == 45 and plan.create["labels"][STOP_TIMEOUT] == "45"
    assert plan.create["devices"] == [
        {
            "PathOnHost": "/dev/input/by-id/usb-Sym_S_N:28A1-event-kbd",
            "PathInContainer": "/dev/s",
            "CgroupPermissions": "rwm",
        }
    ]


def test_own_healthcheck_runs_the_services_command() -> None:
    assert OwnHealthCheck(web_plan()).argv == [
        "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/index.html"
    ]  # fmt: skip
    shell = web_plan()
    shell.create["healthcheck"] = {"test": ["CMD-SHELL", "curl -f localhost || exit 1"]}
    assert OwnHealthCheck(shell).argv == ["/bin/sh", "-c", "curl -f localhost || exit 1"]
    assert OwnHealthCheck(ServicePlan("x", {}, "")).argv is None


def test_chain_ids_follow_the_image_spec() -> None:
    first, second = "sha256:" + "1" * 64, "sha256:" + "2" * 64
    expected = "sha256:" + hashlib.sha256(f"{first} {second}".encode()).hexdigest()
    assert chain_ids([first, second]) == [first, expected]


def test_edge_profile_merges_into_existing_settings() -> None:
    profile = load_profile("edge")
    merged = merge_profile({"log-opts": {"labels": "x"}, "debug": True}, profile)
    assert merged["debug"] is True and merged["live-restore"] is True
    assert merged["log-opts"] == {"labels": "x", "max-size": "10m", "max-file": "3"}
    assert merged["max-concurrent-downloads"] == 3 and merged["max-concurrent-uploads"] == 2
    syslog = {"log-driver": "syslog", "log-opts": {"syslog-address": "udp://10.0.0.1:514"}}
    switched = merge_profile(syslog, profile)
    assert switched["log-driver"] == "json-file"
    assert switched["log-opts"] == {"max-size": "10m", "max-file": "3"}
    with pytest.raises(DeployError, match="no such profile"):
        load_profile("../etc/passwd")


class FakeDevice:
    """Records commands; ``docker version`` answers only while ``engine_up``."""

    def __init__(self, daemon_json: bytes, comes_back: bool) -> None:
        self.daemon_json, self.comes_back, self.engine_up = daemon_json, comes_back, True
        self.commands: list[list[str]] = []
        self.target = Target(scheme="ssh", host="fake-device")

    def describe(self) -> str:
        return "fake://device"

    def run_script(self, script: str, args: Sequence[str] = (), **_: Any) -> CommandResult:
        if "find_engine" in script:  # the engine lookup: the default socket
            return CommandResult(("sh",), 0, b"engine=unix:///var/run/docker.sock\nfrom=default\n")
        return self.run(["sh", "-s", "--", *args], stdin=script.encode())

    def run(self, argv: Sequence[str], **_: Any) -> CommandResult:
        argv = list(argv)
        self.commands.append(argv)
        if argv[:2] == ["docker", "version"]:
            return CommandResult(tuple(argv), 0 if self.engine_up else 1, b"")
        if argv[:1] == ["sudo"] and "restart" in argv[-1]:
            restores = sum("backup.absent" in " ".join(c) for c in self.commands[:-1])
            self.engine_up = self.comes_back or restores > 1
        if argv[:2] == ["sh", "-c"] and "cat" in argv[2] and "2>/dev/null" in argv[2]:
            return CommandResult(tuple(argv), 0, self.daemon_json)
        return CommandResult(tuple(argv), 0, b"")


def test_profile_is_written_with_a_backup_and_dockerd_restarted() -> None:
    device = FakeDevice(json.dumps({"debug": True}).encode(), comes_back=True)
    assert apply_profile(device, "edge", restart_timeout=1)  # type: ignore[arg-type]
    sudo = [c for c in device.commands if c[0] == "sudo"]
    assert len(sudo) == 2  # install (validate, back up, atomic write), then restart


def test_profile_already_there_changes_nothing() -> None:
    settings = merge_profile({}, load_profile("edge"))
    device = FakeDevice(json.dumps(settings).encode(), comes_back=True)
    assert not apply_profile(device, "edge", restart_timeout=1)  # type: ignore[arg-type]
    assert all(c[0] != "sudo" for c in device.commands)


def test_backup_is_restored_when_dockerd_does_not_come_back() -> None:
    device = FakeDevice(b"{}", comes_back=False)
    with pytest.raises(DeployError, match="restored"):
        apply_profile(device, "edge", restart_timeout=1)  # type: ignore[arg-type]
    sudo = [" ".join(c) for c in device.commands if c[0] == "sudo"]
    assert len(sudo) == 4 and "backup.absent" in sudo[2]  # install, restart, restore, restart
