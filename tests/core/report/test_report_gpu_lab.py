"""The GPU check of the report on the lab's edge-AI box: its NVIDIA GPU (a replayed H100
and the container toolkit's hook, presented at the OS level) is listed by ``nvidia-smi -L``
inside a container of the deployed ai stack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edgegui.cli.main import main
from tests.conftest import start_lab
from tests.core.report.conftest import connection_args
from tests.lab.images import import_busybox_image

pytestmark = [pytest.mark.lab, pytest.mark.slow]
# The inference server stand-in answers its healthcheck (GET /health on port 8000).
ANSWER = "while true; do printf 'HTTP/1.0 200 OK\\r\\n\\r\\nok' | nc -l -p 8000; done"
SERVER = json.dumps(["/bin/sh", "-c", ANSWER])


def test_the_gpu_is_visible_inside_a_container(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    lab = start_lab(["aibox"])
    try:
        device = lab.devices[0]
        import_busybox_image(device, "edgegui/inference-server:latest", SERVER)
        deploy = ["deploy", device.ssh_target, "--template", "ai", "--bind", "gpu=nvidia:0"]
        assert main([*deploy, "--health-timeout", "120", *connection_args(device)]) == 0
        out = tmp_path / "report.json"
        assert main(["report", device.ssh_target, "-o", str(out), *connection_args(device)]) == 0
    finally:
        lab.stop()
    data = json.loads(out.read_text())
    gpu = next(p for p in data["peripherals"] if p["check"] == "GPU in a container")
    assert gpu["status"] == "pass", gpu
    assert gpu["message"].startswith("GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-")
    assert any(h["kind"] == "GPU" and "H100" in h["name"] for h in data["hardware"])
