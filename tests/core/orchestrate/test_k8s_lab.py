"""``edgegui k8s apply`` on a lab device: refused in one line without K3s/kubectl; with a
stand-in kubectl presented at the OS level (it records what it is given), the node is
labelled from the hardware, secrets arrive on stdin only and the manifests validate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.cli.run import edgegui
from tests.conftest import one_device
from tests.core.templates.conftest import validate_kubernetes
from tests.lab import LabDevice

pytestmark = pytest.mark.lab
STANDIN = Path(__file__).with_name("kubectl-standin.sh")
TOKEN = "tok-" + "k" * 24


@pytest.fixture(scope="module")
def gateway() -> Iterator[LabDevice]:
    with one_device("gateway") as device:
        yield device


def apply(device: LabDevice):  # type: ignore[no-untyped-def]
    return edgegui("k8s", "apply", *device.ssh_cli, "--template", "retail",
                   "--set-env", "CLOUD_API_TOKEN=TOK", env={"TOK": TOKEN})  # fmt: skip


def present_kubectl(device: LabDevice) -> None:
    """/usr/local/bin of the device gains a kubectl (an overlay in its own mount namespace)."""
    upper, work = device.state / "ulb-upper", device.state / "ulb-work"
    upper.mkdir()
    work.mkdir()
    (upper / "kubectl").write_bytes(STANDIN.read_bytes())
    (upper / "kubectl").chmod(0o755)
    options = f"lowerdir=/usr/local/bin,upperdir={upper},workdir={work}"
    device.exec(["mount", "-t", "overlay", "overlay", "-o", options, "/usr/local/bin"])


def recorded(device: LabDevice) -> list[tuple[list[str], str]]:
    names = device.exec(["sh", "-c", "ls /tmp/kubectl-calls | sed -n 's/\\.args$//p'"]).split()
    calls = []
    for name in sorted(names):
        args = device.exec(["cat", f"/tmp/kubectl-calls/{name}.args"]).splitlines()
        stdin = device.exec(
            ["sh", "-c", f"cat /tmp/kubectl-calls/{name}.stdin 2>/dev/null || true"]
        )
        calls.append((args, stdin))
    return calls


def test_without_k3s_or_kubectl_preflight_refuses_in_one_line(gateway: LabDevice) -> None:
    result = apply(gateway)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    # The device shares this machine's /usr: a kubectl may be there, reaching no cluster.
    assert (
        "no K3s and no kubectl on the device" in result.stderr
        or "kubectl is installed but reaches no cluster" in result.stderr
    )


def test_apply_labels_the_node_and_sends_manifests_and_secrets_on_stdin(
    gateway: LabDevice,
) -> None:
    present_kubectl(gateway)
    result = apply(gateway)
    assert result.returncode == 0, result.stderr
    assert "preflight: kubectl reaches the cluster" in result.stderr
    assert "edgegui.scanner=true" in result.stdout
    calls = recorded(gateway)
    assert all(TOKEN not in " ".join(args) for args, _ in calls)  # never on a command line
    label = next(args for args, _ in calls if args[:2] == ["label", "node"])
    assert "edgegui.scanner=true" in label and "edgegui.serial=true" in label
    assert "edgegui.gpu-" in label  # a label of hardware no longer there is removed
    secret = next(stdin for args, stdin in calls if "secret" in args)
    assert secret == TOKEN
    manifests = next(stdin for args, stdin in calls if args[:3] == ["apply", "-n", "retail"])
    validate_kubernetes(manifests)
    pods = {
        d["metadata"]["name"]: d["spec"]["template"]["spec"]
        for d in yaml.safe_load_all(manifests)
        if d and d["kind"] == "Deployment"
    }
    assert pods["pos-service"]["nodeSelector"] == {"edgegui.scanner": "true"}
