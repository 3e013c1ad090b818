"""Apply a stack to the device's own K3s/Kubernetes with its kubectl, over SSH.

Preflight finds a kubectl that reaches a cluster (``kubectl``, ``k3s kubectl``, or
``sudo -n k3s kubectl`` where K3s keeps its kubeconfig root-only) and says in one line what
is missing otherwise. Manifests and secret values travel on stdin, never on a command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from edgegui.core.audit import record_action
from edgegui.core.errors import EdgeGUIError
from edgegui.core.templates.node_labels import PREFIX, hardware_labels
from edgegui.core.transport.base import Transport

if TYPE_CHECKING:
    from edgegui.core.templates import RenderedStack

KUBECTLS = {
    "kubectl": ["kubectl"],
    "k3s": ["k3s", "kubectl"],
    "sudo-k3s": ["sudo", "-n", "k3s", "kubectl"],
}
_DETECT = """\
reach() { "$@" version --request-timeout=5s >/dev/null 2>&1; }
if command -v kubectl >/dev/null 2>&1 && reach kubectl; then echo kubectl; exit 0; fi
if command -v k3s >/dev/null 2>&1; then
  reach k3s kubectl && { echo k3s; exit 0; }
  reach sudo -n k3s kubectl && { echo sudo-k3s; exit 0; }
  echo "k3s is installed but its kubeconfig is not readable and sudo asks for a password"
  exit 4
fi
if command -v kubectl >/dev/null 2>&1; then
  echo "kubectl is installed but reaches no cluster (kubectl version fails)"; exit 5
fi
echo "no K3s and no kubectl on the device; install K3s first, or deploy with 'edgegui deploy'"
exit 3
"""
_CREATE_FROM_STDIN = (
    'n=$1; ns=$2; shift 2; "$@" -n "$ns" create secret generic "$n" '
    '--from-file="$n=/dev/stdin" --dry-run=client -o yaml | "$@" -n "$ns" apply -f -'
)
_NAMESPACE = 'ns=$1; shift; "$@" create namespace "$ns" --dry-run=client -o yaml | "$@" apply -f -'
# The node K3s made for this device (named by its host name), or the cluster's only node.
_NODE = (
    'h=$(hostname); names=$("$@" get nodes -o name) || exit 1; '
    'for n in $names; do [ "${n#node/}" = "$h" ] && { echo "$h"; exit 0; }; done; '
    'set -- $names; [ $# -eq 1 ] && echo "${1#node/}"; exit 0'
)


class KubernetesError(EdgeGUIError):
    """The device has no usable kubectl, or kubectl refused the manifests."""


@dataclass
class K8sApplied:
    kubectl: str
    node: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    namespace: str = ""
    output: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return vars(self).copy()


def find_kubectl(transport: Transport) -> list[str]:
    """The kubectl command words that reach the device's cluster; KubernetesError if none."""
    result = transport.run(["sh", "-c", _DETECT])
    found = result.text.strip().splitlines()[-1:] if result.text.strip() else [""]
    if result.ok and found[0] in KUBECTLS:
        return KUBECTLS[found[0]]
    raise KubernetesError(f"{transport.describe()}: {found[0] or 'cannot look for kubectl'}")


def _checked(transport: Transport, argv: list[str], what: str, stdin: bytes | None = None) -> str:
    result = transport.run(argv, stdin=stdin, timeout=300)
    if not result.ok:
        message = (result.stderr or result.stdout).decode(errors="replace").strip()
        last = message.splitlines()[-1] if message else f"exit status {result.exit_status}"
        raise KubernetesError(f"{transport.describe()}: {what}: {last}")
    return result.text


def apply_stack(
    transport: Transport, rendered: RenderedStack, namespace: str, inventory: dict[str, Any]
) -> K8sApplied:
    """Label the device's node from its hardware, create the namespace and Secrets (values
    on stdin), then ``kubectl apply`` the manifests, whose nodeSelectors use those labels."""
    kubectl = find_kubectl(transport)
    applied = K8sApplied(kubectl=" ".join(kubectl), namespace=namespace)
    manifests = (
        rendered.to_k8s_yaml()
    )  # before touching the cluster: a render error changes nothing
    node = _checked(transport, ["sh", "-c", _NODE, "sh", *kubectl], "kubectl get nodes").strip()
    applied.labels = hardware_labels(inventory)
    if node:
        applied.node = node
        stale = [f"{k}-" for k in _node_labels(transport, kubectl, node) if k.startswith(PREFIX)]
        wanted = [f"{k}={v}" for k, v in applied.labels.items()]
        stale = [s for s in stale if s[:-1] not in applied.labels]
        _checked(
            transport,
            [*kubectl, "label", "node", node, "--overwrite", *wanted, *stale],
            "label node",
        )
    else:
        applied.notes.append("several nodes and none named like the device: nodes not labelled")
    _checked(transport, ["sh", "-c", _NAMESPACE, "sh", namespace, *kubectl], "create namespace")
    for name, value in sorted(rendered.secret_files.items()):
        argv = ["sh", "-c", _CREATE_FROM_STDIN, "sh", name, namespace, *kubectl]
        _checked(transport, argv, f"secret {name}", stdin=value.encode())
    if rendered.seccomp_profiles:
        applied.notes.append(
            "seccomp profiles must be in /var/lib/kubelet/seccomp/edgegui/ on every node "
            "(edgegui render --format k8s writes them)"
        )
    out = _checked(
        transport,
        [*kubectl, "apply", "-n", namespace, "-f", "-"],
        "kubectl apply",
        manifests.encode(),
    )
    applied.output = out.strip().splitlines()
    record_action(
        "k8s apply",
        transport=transport,
        detail={"namespace": namespace, "source": rendered.source, "labels": applied.labels},
    )
    return applied


def _node_labels(transport: Transport, kubectl: list[str], node: str) -> list[str]:
    text = _checked(
        transport,
        [*kubectl, "get", "node", node, "-o", "jsonpath={.metadata.labels}"],
        "kubectl get node",
    )
    import json

    try:
        labels = json.loads(text or "{}")
    except ValueError:
        return []
    return list(labels) if isinstance(labels, dict) else []
