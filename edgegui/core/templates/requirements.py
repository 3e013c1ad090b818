"""What a template needs from the device (architecture, memory, disk, engine features)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from edgegui.core.templates.errors import RequirementError

ARCHITECTURES = ("x86_64", "aarch64", "armv7l")
# Names Kubernetes and Swarm use for the same machines (``kubernetes.io/arch``).
KUBERNETES_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm"}
ENGINE_FEATURES = {
    "nvidia-container-toolkit": "NVIDIA Container Toolkit (GPU requests; in JetPack on Jetson)",
    "cgroup-v2": "cgroup v2 (memory, CPU and pids limits enforced)",
    "memory-limit": "memory limits enforced (a service must never take the box's memory)",
    "cpu-quota": "CPU quota enforced (CFS)",
    "pids-limit": "process-count limits enforced",
}
# Feature -> the engine's own flag in the inventory's docker section.
_LIMIT_FLAGS = {
    "memory-limit": ("memory_limit_enforced", "memory limits"),
    "cpu-quota": ("cpu_cfs_quota", "a CPU quota (CFS)"),
    "pids-limit": ("pids_limit", "PIDs limits"),
}


@dataclass(frozen=True)
class Requirements:
    """Minimums a device must meet; sizes in MiB. Empty architectures means any."""

    architectures: tuple[str, ...] = ()
    min_memory_mib: int = 0
    min_disk_mib: int = 0
    engine_features: tuple[str, ...] = ()

    def combined(self, other: Requirements) -> Requirements:
        """Needs of a template plus an add-on: both architectures lists, summed sizes."""
        if self.architectures and other.architectures:
            arches = tuple(a for a in self.architectures if a in other.architectures)
        else:
            arches = self.architectures or other.architectures
        features = tuple(sorted(set(self.engine_features) | set(other.engine_features)))
        return Requirements(
            arches,
            self.min_memory_mib + other.min_memory_mib,
            self.min_disk_mib + other.min_disk_mib,
            features,
        )

    def describe(self) -> dict[str, Any]:
        return {
            "architectures": list(self.architectures) or ["any"],
            "min_memory_mib": self.min_memory_mib,
            "min_disk_mib": self.min_disk_mib,
            "engine_features": list(self.engine_features),
        }


def check_requirements(
    requirements: Requirements, inventory: Mapping[str, Any], *, subject: str
) -> None:
    """Raise RequirementError naming the first unmet need, from the inventory's ``system``."""
    system = inventory.get("system") or {}
    if not isinstance(system, Mapping):
        raise RequirementError("inventory: 'system' must be an object")
    arch = system.get("arch")
    if requirements.architectures and arch is not None and arch not in requirements.architectures:
        raise RequirementError(
            f"{subject}: needs {' or '.join(requirements.architectures)}, the device is {arch}"
        )
    for key, need, what in (
        ("mem_total_mib", requirements.min_memory_mib, "memory"),
        ("disk_free_root_mib", requirements.min_disk_mib, "free disk space on /"),
    ):
        have = system.get(key)
        if need and isinstance(have, int) and not isinstance(have, bool) and have < need:
            raise RequirementError(
                f"{subject}: needs {need} MiB of {what}, the device has {have} MiB"
            )
    docker = inventory.get("docker")
    cgroup = docker.get("cgroup_version") if isinstance(docker, Mapping) else None
    if "cgroup-v2" in requirements.engine_features and isinstance(cgroup, int) and cgroup != 2:
        raise RequirementError(f"{subject}: needs cgroup v2, the device's Docker uses v{cgroup}")
    engine = docker if isinstance(docker, Mapping) else {}
    for feature, (flag, what) in _LIMIT_FLAGS.items():
        if feature in requirements.engine_features and engine.get(flag) is False:
            raise RequirementError(
                f"{subject}: needs {what}, which the device's engine cannot enforce "
                "(see `edgegui discover --preflight`); nothing was changed on the device"
            )
