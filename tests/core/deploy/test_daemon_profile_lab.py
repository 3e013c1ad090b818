"""``--daemon-profile edge`` on a real device: merged daemon.json, backup, dockerd restarted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from edgegui.core.audit import AuditLog
from edgegui.core.bundle import create_bundle
from edgegui.core.deploy import deploy_stack
from edgegui.core.deploy.daemon_profile import BACKUP, DAEMON_JSON
from tests.core.deploy.conftest import connect, render
from tests.core.deploy.images import image_archive
from tests.lab import LabDevice

pytestmark = [
    pytest.mark.lab,
    pytest.mark.skipif(not shutil.which("sudo"), reason="needs sudo (scripts/system-deps lab)"),
]


def test_edge_profile_is_merged_and_dockerd_restarted(
    scratch_device: LabDevice, tmp_path: Path
) -> None:
    scratch_device.exec(["sh", "-c", f"echo '{{\"debug\": true}}' > {DAEMON_JSON}"])
    bundle = tmp_path / "b.edgebundle"
    create_bundle(bundle, archives=[image_archive(tmp_path / "i.tar", "edgegui-test/busybox:1")])
    transport = connect(scratch_device)
    try:
        result = deploy_stack(
            transport, render(), stack="profiled", bundle=bundle, daemon_profile="edge"
        )
    finally:
        transport.close()
    assert result.ok, result.reason
    changes = [e for e in AuditLog().entries(scratch_device.ip) if e.action == "daemon-profile"]
    assert changes[-1].detail["ok"] and changes[-1].detail["profile"] == "edge"
    assert {"live-restore", "log-opts"} <= set(changes[-1].detail["settings"])
    written = json.loads(scratch_device.exec(["cat", DAEMON_JSON]))
    assert written["debug"] is True and written["live-restore"] is True
    assert written["log-opts"] == {"max-size": "10m", "max-file": "3"}
    assert json.loads(scratch_device.exec(["cat", BACKUP])) == {"debug": True}
    info = json.loads(scratch_device.exec(["docker", "info", "--format", "{{json .}}"]))
    assert info["LiveRestoreEnabled"] is True and info["LoggingDriver"] == "json-file"
