"""Diagnostics bundles from a lab device over SSH and serial: a planted secret appears nowhere."""

from __future__ import annotations

import gzip
import tarfile

import pytest

from edgegui.core.diagnose import collect_diagnostics, open_diagnostics
from edgegui.core.transport.factory import TransportOptions, open_transport
from tests.core.monitor.labstack import device_running, run_service, shell, wait_for

pytestmark = pytest.mark.lab

ENV_SECRET = "PLANTED-env-7f3a9c1e"  # in API_KEY: secret because of its name
TEMPLATE_SECRET = "PLANTED-tpl-91b2x"  # a secret template parameter, given explicitly
PLAIN = "berlin-plant-7"  # a harmless value that must survive


def start_planted(client):
    container = run_service(
        client,
        "plant",
        "api",
        shell(f'echo "site $SITE key $API_KEY"; echo "tpl {TEMPLATE_SECRET}"; exec sleep 3600'),
        environment={"API_KEY": ENV_SECRET, "SITE": PLAIN, "mqtt_password": "short"},
        labels={"edgegui.example": f"--token {TEMPLATE_SECRET}"},
    )
    wait_for(lambda: b"tpl" in container.logs(), what="the planted log line")


@pytest.fixture(scope="module")
def planted():
    with device_running(start_planted) as device:
        yield device


def assert_no_secret(path):
    raw = gzip.decompress(path.read_bytes())  # the whole tar stream, headers included
    for secret in (ENV_SECRET, TEMPLATE_SECRET):
        assert secret.encode() not in raw
    with tarfile.open(path) as tar:
        names = tar.getnames()
        for info in tar:
            data = tar.extractfile(info).read() if info.isfile() else b""
            for secret in (ENV_SECRET, TEMPLATE_SECRET):
                assert secret.encode() not in data, info.name
                assert secret not in info.name
    return names


def check_bundle(path, transport_scheme):
    names = assert_no_secret(path)
    bundle = open_diagnostics(path)
    members = bundle["members"]
    assert bundle["manifest"]["transport"] == transport_scheme
    assert bundle["manifest"]["masked"] > 0
    assert "edgegui-diagnostics/containers/plant-api-1/inspect.json" in names
    inspect = members["containers/plant-api-1/inspect.json"]
    env = inspect["Config"]["Env"]
    assert "API_KEY=[REDACTED]" in env and f"SITE={PLAIN}" in env
    assert "mqtt_password=[REDACTED]" in env  # short, but its name says secret
    logs = members["containers/plant-api-1/logs.txt"]
    assert f"site {PLAIN} key [REDACTED]" in logs and "tpl [REDACTED]" in logs
    assert members["docker/info.json"]["ServerVersion"]
    assert members["inventory.json"]["system"]["hostname"]
    assert members["status.json"]["stacks"][0]["name"] == "plant"
    for part in ("df", "ip-addr", "dmesg", "engine-journal", "mounts"):
        assert f"system/{part}.txt" in members
    return bundle


def test_bundle_over_ssh_holds_no_secret(planted, tmp_path):
    options = TransportOptions(identity=planted.key_path, known_hosts=planted.known_hosts)
    steps = []
    with open_transport(planted.ssh_target, options) as transport:
        path = collect_diagnostics(
            transport,
            tmp_path / "diag.tar.gz",
            log_lines=50,
            secret_values=[TEMPLATE_SECRET],
            progress=steps.append,
        )
    check_bundle(path, "ssh")
    assert steps[-1].done == steps[-1].total == 5
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_bundle_over_serial_holds_no_secret(planted, tmp_path):
    options = TransportOptions(user="tech", password=planted.password)
    with open_transport(planted.serial_target, options) as transport:
        path = collect_diagnostics(
            transport, tmp_path / "diag.tar.gz", log_lines=50, secret_values=[TEMPLATE_SECRET]
        )
    bundle = check_bundle(path, "serial")
    assert "docker" not in bundle["manifest"]["errors"]
