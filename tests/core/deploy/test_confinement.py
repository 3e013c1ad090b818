"""What the deploy writes for seccomp and AppArmor, for each kind of engine (pure logic)."""

from __future__ import annotations

import copy
from pathlib import Path

from edgegui.core.deploy.confinement import EngineConfinement, confine_services
from edgegui.core.templates import load_template_file, render_stack

TEMPLATE = """\
schema_version: 1
metadata: {name: two, title: Two services, description: x, version: 1.0.0}
stack:
  services:
    app:
      image: example/app:1
      x-edgegui: {apparmor: edge-app}
    raw:
      image: example/raw:1
      privileged: true
      x-edgegui:
        waivers:
          privileged: The vendor agent programs the FPGA through /dev/mem directly.
"""


def services(tmp_path: Path, engine: EngineConfinement) -> tuple[dict, list[str]]:
    path = tmp_path / "two.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    stack = render_stack(load_template_file(path))
    bodies = copy.deepcopy(stack.compose["services"])
    return bodies, confine_services(bodies, stack.services, engine)


def test_an_engine_with_apparmor_gets_the_named_profile(tmp_path: Path) -> None:
    bodies, lines = services(tmp_path, EngineConfinement(seccomp=True, apparmor=True))
    assert bodies["app"]["security_opt"] == [
        "no-new-privileges:true",
        "seccomp=./seccomp/edge-default.json",
        "apparmor=edge-app",
    ]
    assert not any("apparmor" in o for o in bodies["raw"].get("security_opt", ()))
    assert lines == [
        "seccomp edge-default: app",
        "seccomp none (privileged: Docker runs it unconfined): raw",
        "AppArmor edge-app: app",
    ]


def test_an_engine_without_apparmor_or_seccomp_is_not_told_to_apply_them(tmp_path: Path) -> None:
    bodies, lines = services(tmp_path, EngineConfinement(seccomp=False, apparmor=False))
    assert bodies["app"]["security_opt"] == ["no-new-privileges:true"]
    assert lines == [
        "seccomp: the device's engine has no seccomp support; no seccomp filter confines the "
        "services",
        "AppArmor: not enabled on the device; no AppArmor profile confines the services",
    ]
