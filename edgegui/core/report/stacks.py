"""Stack sections of the report: what EdgeGUI deployed (its state on the device) beside
what runs (``docker inspect``), plus the health of each container."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from edgegui.core.labels import PROJECT_LABEL, SERVICE_LABEL
from edgegui.core.report.facts import DeviceFacts
from edgegui.core.report.hardening import container_report
from edgegui.core.report.model import CheckRow, ContainerReport, ImageRow, NamedValue, StackReport

_SOURCE_RE = re.compile(r"^template (\S+) (\S+)")


def stack_reports(facts: DeviceFacts) -> list[StackReport]:
    images = {str(i.get("Id", "")): i for i in facts.images if isinstance(i, Mapping)}
    reports = []
    for name, state in sorted(facts.states.items()):
        compose = state.get("compose") or {}
        services = compose.get("services") or {}
        source = str(state.get("source") or "")
        match = _SOURCE_RE.match(source)
        text = str(state.get("compose_yaml") or "")
        report = StackReport(
            name=name,
            template=match.group(1) if match else "",
            version=match.group(2) if match else "",
            source=source,
            deployed_at=str(state.get("deployed_at") or "")[:19].replace("T", " "),
            compose_sha256=hashlib.sha256(text.encode()).hexdigest() if text else "",
            notes=[str(n) for n in state.get("notes") or []],
        )
        parameters = state.get("parameters")
        if parameters:
            report.parameters = [NamedValue(k, str(v)) for k, v in sorted(parameters.items())]
        else:
            report.notes.append(
                "Parameters were not recorded by the EdgeGUI version that deployed this stack."
            )
        for service, image_id in sorted((state.get("images") or {}).items()):
            body = services.get(service) or {}
            found = images.get(str(image_id)) or {}
            digests = [str(d) for d in found.get("RepoDigests") or []]
            report.images.append(ImageRow(service, str(body.get("image", "")), image_id, digests))
        for inspect in facts.containers:
            if _labels(inspect).get(PROJECT_LABEL) != name:
                continue
            service = services.get(_service(inspect)) or {}
            container = container_report(inspect, service)
            if service.get("image"):  # the reference, not the ID the engine ran it by
                container.image = str(service["image"])
            report.containers.append(container)
        reports.append(report)
    return reports


def health_rows(
    containers: list[ContainerReport], inspects: Sequence[Mapping[str, Any]]
) -> list[CheckRow]:
    oom = {
        str(i.get("Name", "")).lstrip("/"): bool((i.get("State") or {}).get("OOMKilled"))
        for i in inspects
    }
    rows = []
    for container in containers:
        since = f", started {container.started_at} UTC" if container.started_at else ""
        restarts = f", restarted {container.restarts} times" if container.restarts else ""
        message = f"{container.state}, {container.health}{since}{restarts}"
        if container.state != "running" or container.health == "unhealthy":
            hint = (
                "its memory limit is too low (killed out of memory)"
                if oom.get(container.name)
                else f"see `edgegui logs TARGET {container.name}`"
            )
            rows.append(CheckRow(container.name, "fail", message, hint))
        elif container.restarts or container.health == "starting":
            rows.append(
                CheckRow(
                    container.name, "warn", message, f"see `edgegui logs TARGET {container.name}`"
                )
            )
        else:
            rows.append(CheckRow(container.name, "pass", message))
    return rows


def _labels(inspect: Mapping[str, Any]) -> Mapping[str, Any]:
    return (inspect.get("Config") or {}).get("Labels") or {}


def _service(inspect: Mapping[str, Any]) -> str:
    return str(_labels(inspect).get(SERVICE_LABEL, ""))
