"""Monitoring: a device's status snapshot, events since the last look, alerts and logs."""

from edgegui.core.monitor.alerts import Thresholds, compute_alerts
from edgegui.core.monitor.logs import LogError, follow_logs, parse_since
from edgegui.core.monitor.model import (
    Alert,
    ContainerStatus,
    DeviceMetrics,
    DeviceStatus,
    DiskUsage,
    DockerEvent,
    StackStatus,
    Temperature,
)
from edgegui.core.monitor.status import docker_client_for, snapshot

__all__ = [
    "Alert",
    "ContainerStatus",
    "DeviceMetrics",
    "DeviceStatus",
    "DiskUsage",
    "DockerEvent",
    "LogError",
    "StackStatus",
    "Temperature",
    "Thresholds",
    "compute_alerts",
    "docker_client_for",
    "follow_logs",
    "parse_since",
    "snapshot",
]
