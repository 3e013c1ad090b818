"""Kubernetes / K3s manifests: a Deployment per service, plus Services, PVCs and ConfigMaps.

Objects keep the Compose service names, so services find each other by the same DNS names;
apply one stack per namespace. Secret values are never in the manifests: the pods mount
Secrets of the listed names, which the deploy step creates from ``secret_files``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from edgegui.core.templates.node_labels import slot_labels
from edgegui.core.templates.output import FormatOutput, escape_for_kubernetes, header
from edgegui.core.templates.requirements import KUBERNETES_ARCH
from edgegui.core.templates.seccomp import DEFAULT_APPARMOR, PROFILE_DIR, profile_in
from edgegui.core.templates.units import kubernetes_size, parse_duration, parse_size
from edgegui.core.yamlload import dump_yaml_documents

if TYPE_CHECKING:
    from edgegui.core.templates.rendered import RenderedStack, ServiceInfo

DEVICE_RESOURCE_DOMAIN = "edgegui.io"
SECRETS_MOUNT = "/run/secrets"
# Localhost seccomp profiles are files under the kubelet's seccomp folder on every node.
KUBELET_SECCOMP_DIR = "/var/lib/kubelet/seccomp"
SECCOMP_SUBDIR = "edgegui"
APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"
_TMPFS_SIZE_RE = re.compile(r"(?:^|,)size=([0-9]+[a-zA-Z]*)")


def render_k8s(stack: RenderedStack) -> FormatOutput:
    """All manifests of the stack as one multi-document YAML file, and its list of losses."""
    notes = [
        "container log rotation and pids limits are kubelet settings "
        "(containerLogMaxSize, containerLogMaxFiles, podPidsLimit), not per pod",
        "an in-memory emptyDir stands in for tmpfs and cannot be noexec,nosuid",
    ]
    documents: list[dict[str, Any]] = []
    for name in sorted(stack.config_files):
        documents.append(
            _object("ConfigMap", name, stack.name, data={name: stack.config_files[name]})
        )
    for name, size in sorted(stack.volume_sizes.items()):
        spec = {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": kubernetes_size(size)}},
        }
        documents.append(_object("PersistentVolumeClaim", name, stack.name, spec=spec))
    services = stack.compose["services"]
    for name in sorted(services):
        body = services[name]
        if body.get("environment"):
            documents.append(
                _object("ConfigMap", f"{name}-env", stack.name, data=body["environment"])
            )
        ports = _service_ports(body)
        if ports:
            selector = _selector(stack.name, name)
            documents.append(
                _object("Service", name, stack.name, spec={"selector": selector, "ports": ports})
            )
        documents.append(_deployment(name, body, stack, notes))
    secrets = sorted(stack.secret_owners)
    needs = [
        f"Secret {s} with key {s} (kubectl create secret generic {s} --from-file={s}=FILE)"
        for s in secrets
    ]
    needs += [
        f"{PROFILE_DIR}/{name}.json copied to "
        f"{KUBELET_SECCOMP_DIR}/{SECCOMP_SUBDIR}/{name}.json on every node (seccomp profile)"
        for name in stack.seccomp_profiles
    ]
    top = header(
        title="Kubernetes manifests",
        source=stack.source,
        usage=f"kubectl apply -n {stack.name} -f THIS_FILE (one namespace per stack)",
        waivers=stack.waivers,
        limitations=notes,
        needs=needs,
        notes=stack.notes,
    )
    return FormatOutput(top + dump_yaml_documents(documents), tuple(notes))


def _object(kind: str, name: str, stack: str, **fields: Any) -> dict[str, Any]:
    api = "apps/v1" if kind == "Deployment" else "v1"
    return {
        "apiVersion": api,
        "kind": kind,
        "metadata": {"name": name, "labels": _labels(stack, name)},
        **fields,
    }


def _labels(stack: str, name: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": stack,
        "app.kubernetes.io/managed-by": "edgegui",
    }


def _selector(stack: str, name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": stack}


def _service_ports(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    seen: dict[tuple[int, str], dict[str, Any]] = {}
    for port in body.get("ports", ()):
        protocol = port["protocol"].upper()
        seen[(port["target"], protocol)] = _port_entry(port["target"], protocol)
    for number in body.get("expose", ()):
        seen.setdefault((number, "TCP"), _port_entry(number, "TCP"))
    return [seen[key] for key in sorted(seen)]


def _port_entry(number: int, protocol: str) -> dict[str, Any]:
    return {
        "name": f"{protocol.lower()}-{number}",
        "port": number,
        "targetPort": number,
        "protocol": protocol,
    }


def _deployment(
    name: str, body: Mapping[str, Any], stack: RenderedStack, notes: list[str]
) -> dict[str, Any]:
    info = stack.services[name]
    volumes, mounts = _volumes(body)
    container: dict[str, Any] = {
        "name": name,
        "image": body["image"],
        "imagePullPolicy": "IfNotPresent",
        "securityContext": _container_security(body),
        "resources": _resources(body, info, notes),
    }
    if "entrypoint" in body:
        container["command"] = escape_for_kubernetes(body["entrypoint"])
    if "command" in body:
        container["args"] = escape_for_kubernetes(body["command"])
    if body.get("environment"):
        container["envFrom"] = [{"configMapRef": {"name": f"{name}-env"}}]
    if "working_dir" in body:
        container["workingDir"] = body["working_dir"]
    ports = [_container_port(p) for p in body.get("ports", ())]
    if ports:
        container["ports"] = ports
    if mounts:
        container["volumeMounts"] = mounts
    if body.get("healthcheck"):
        container["livenessProbe"] = _probe(body["healthcheck"])
    pod: dict[str, Any] = {
        "automountServiceAccountToken": False,
        "enableServiceLinks": False,
        "securityContext": _pod_security(body),
        "containers": [container],
    }
    if volumes:
        pod["volumes"] = volumes
    if body.get("network_mode") == "host":
        pod["hostNetwork"] = True
        pod["dnsPolicy"] = "ClusterFirstWithHostNet"
    if body.get("init"):  # the pod's pause process becomes PID 1, as an init would be
        pod["shareProcessNamespace"] = True
    if "stop_grace_period" in body:
        pod["terminationGracePeriodSeconds"] = max(
            1, round(parse_duration(body["stop_grace_period"]))
        )
    _placement(pod, info, stack, notes)
    annotations = dict(sorted(body.get("labels", {}).items()))
    apparmor = _apparmor_profile(body)
    if apparmor:
        annotations[APPARMOR_ANNOTATION + name] = apparmor
    constraints = body.get("deploy", {}).get("placement", {}).get("constraints", ())
    if constraints:
        notes.append(
            f"{name}: Swarm placement ({'; '.join(constraints)}) has no Kubernetes equivalent "
            "here; the scheduler places the pod on any node"
        )
    for binding in info.devices:
        annotations[f"{DEVICE_RESOURCE_DOMAIN}/device.{binding.slot}"] = str(binding.path)
    stateful = bool(volumes and any("persistentVolumeClaim" in v for v in volumes))
    exclusive = stateful or bool(info.devices or info.gpu or ports or pod.get("hostNetwork"))
    spec: dict[str, Any] = {
        "replicas": 1,
        "selector": {"matchLabels": _selector(stack.name, name)},
        "template": {
            "metadata": {"labels": _labels(stack.name, name), "annotations": annotations},
            "spec": pod,
        },
    }
    if exclusive:  # one device, port or volume: the old pod must stop before the new one starts
        spec["strategy"] = {"type": "Recreate"}
    return _object("Deployment", name, stack.name, spec=spec)


def _container_security(body: Mapping[str, Any]) -> dict[str, Any]:
    security: dict[str, Any] = {"readOnlyRootFilesystem": bool(body.get("read_only"))}
    if body.get("privileged"):
        security["privileged"] = True
    else:
        no_new = "no-new-privileges:true" in body.get("security_opt", ())
        security["allowPrivilegeEscalation"] = not no_new
        capabilities: dict[str, Any] = {}
        if body.get("cap_drop"):
            capabilities["drop"] = list(body["cap_drop"])
        if body.get("cap_add"):
            capabilities["add"] = list(body["cap_add"])
        if capabilities:
            security["capabilities"] = capabilities
    return security


def _apparmor_profile(body: Mapping[str, Any]) -> str:
    """The annotation value for the service's AppArmor profile (set only where rendering for
    a device whose engine enforces AppArmor decided so)."""
    for option in body.get("security_opt", ()):
        if str(option).startswith("apparmor="):
            profile = str(option).removeprefix("apparmor=")
            return "runtime/default" if profile == DEFAULT_APPARMOR else f"localhost/{profile}"
    return ""


def _pod_security(body: Mapping[str, Any]) -> dict[str, Any]:
    profile = profile_in(body.get("security_opt"))
    seccomp: dict[str, Any] = {"type": "RuntimeDefault"}
    if profile:
        seccomp = {"type": "Localhost", "localhostProfile": f"{SECCOMP_SUBDIR}/{profile}.json"}
    security: dict[str, Any] = {"seccompProfile": seccomp}
    uid, _, gid = str(body.get("user", "")).partition(":")
    if uid.isdigit():
        security["runAsUser"] = int(uid)
        security["runAsNonRoot"] = int(uid) != 0
    if gid.isdigit():
        security["runAsGroup"] = int(gid)
        security["fsGroup"] = int(gid)
    groups = [int(g) for g in body.get("group_add", ()) if g.isdigit()]
    if groups:
        security["supplementalGroups"] = groups
    return security


def _resources(body: Mapping[str, Any], info: ServiceInfo, notes: list[str]) -> dict[str, Any]:
    limits: dict[str, Any] = {}
    if "mem_limit" in body:
        limits["memory"] = kubernetes_size(parse_size(body["mem_limit"]))
    if "cpus" in body:
        limits["cpu"] = f"{round(float(body['cpus']) * 1000)}m"
    for binding in info.devices:
        resource = f"{DEVICE_RESOURCE_DOMAIN}/{binding.slot}"
        limits[resource] = "1"
        notes.append(
            f"{info.name}: the host device {binding.path} reaches the pod through a device plugin "
            f"advertising {resource} (e.g. squat/generic-device-plugin with --domain "
            f"{DEVICE_RESOURCE_DOMAIN}); the cluster must run one"
        )
    gpu = info.gpu
    if gpu is not None and gpu.gpu_vendor == "nvidia":
        limits["nvidia.com/gpu"] = "1"
        if gpu.gpu_id not in (None, "0"):
            notes.append(
                f"{info.name}: the NVIDIA device plugin chooses the GPU; "
                f"{gpu.gpu_id} cannot be pinned"
            )
    return {"limits": limits} if limits else {}


def _placement(
    pod: dict[str, Any], info: ServiceInfo, stack: RenderedStack, notes: list[str]
) -> None:
    arches = [KUBERNETES_ARCH[a] for a in stack.requirements.architectures]
    if arches:
        term = {
            "matchExpressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": arches}]
        }
        pod["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}
            }
        }
    selector = slot_labels(info)  # the node labelled with the slot's hardware (node_labels)
    if info.gpu is not None and info.gpu.gpu_vendor == "nvidia":
        selector["nvidia.com/gpu.present"] = "true"  # GPU operator / device plugin label
    if selector:
        pod["nodeSelector"] = dict(sorted(selector.items()))
    if info.gpu is not None and info.gpu.gpu_vendor == "jetson":
        pod["runtimeClassName"] = "nvidia"
        notes.append(
            f"{info.name}: needs the RuntimeClass nvidia (K3s creates it when it finds the "
            "NVIDIA container runtime of JetPack)"
        )


def _container_port(port: Mapping[str, Any]) -> dict[str, Any]:
    entry = {
        "containerPort": port["target"],
        "protocol": port["protocol"].upper(),
        "hostPort": port["published"],
    }
    if port.get("host_ip"):
        entry["hostIP"] = port["host_ip"]
    return entry


def _volumes(body: Mapping[str, Any]) -> tuple[list[Any], list[Any]]:
    volumes: list[dict[str, Any]] = []
    mounts: list[dict[str, Any]] = []

    def add(volume: dict[str, Any], mount: dict[str, Any]) -> None:
        volumes.append(volume)
        mounts.append({"name": volume["name"], **mount})

    for index, entry in enumerate(body.get("volumes", ())):
        read_only = bool(entry.get("read_only"))
        if entry["type"] == "volume":
            source = {
                "persistentVolumeClaim": {"claimName": entry["source"], "readOnly": read_only}
            }
        else:
            kind = "Directory" if read_only else "DirectoryOrCreate"
            source = {"hostPath": {"path": entry["source"], "type": kind}}
        add(
            {"name": f"mount-{index}", **source},
            {"mountPath": entry["target"], "readOnly": read_only},
        )
    for index, entry in enumerate(body.get("tmpfs", ())):
        target, _, options = entry.partition(":")
        empty: dict[str, Any] = {"medium": "Memory"}
        size = _TMPFS_SIZE_RE.search(options)
        if size:
            empty["sizeLimit"] = kubernetes_size(parse_size(size.group(1)))
        add({"name": f"tmpfs-{index}", "emptyDir": empty}, {"mountPath": target})
    for config in body.get("configs", ()):
        source = config["source"]
        add(
            {"name": f"config-{source}", "configMap": {"name": source}},
            {"mountPath": config["target"], "subPath": source, "readOnly": True},
        )
    if body.get("secrets"):
        sources = [
            {"secret": {"name": s["source"], "items": [{"key": s["source"], "path": s["target"]}]}}
            for s in body["secrets"]
        ]
        # 0440 with the pod's fsGroup: readable by the service's group, nobody else.
        add(
            {"name": "secrets", "projected": {"sources": sources, "defaultMode": 0o440}},
            {"mountPath": SECRETS_MOUNT, "readOnly": True},
        )
    return volumes, mounts


def _probe(health: Mapping[str, Any]) -> dict[str, Any]:
    test = list(health["test"])
    command = test[1:] if test[0] == "CMD" else ["/bin/sh", "-c", test[1]]
    probe: dict[str, Any] = {"exec": {"command": command}}  # probes expand no $(VAR)
    for key, field in (
        ("interval", "periodSeconds"),
        ("timeout", "timeoutSeconds"),
        ("start_period", "initialDelaySeconds"),
    ):
        if key in health:
            probe[field] = max(1, round(parse_duration(health[key])))
    if "retries" in health:
        probe["failureThreshold"] = int(health["retries"])
    return probe
