"""What a diagnostics bundle holds, read from the device: system state and Docker facts.

Over SSH the Docker facts come from the API; over a serial console from the docker CLI
in one framed script. Section markers carry a random nonce so that a container's log
cannot forge a section of its own.
"""

from __future__ import annotations

import json
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from edgegui.core.transport.base import Transport
from edgegui.core.transport.engine import with_engine_env

POOL_SIZE = 16

SYSTEM_SCRIPT = """\
m="$1"; n="$2"
s() { printf '\\n%s%s\\n' "$m" "$1"; }
s uname; uname -a
s uptime; uptime
s meminfo; cat /proc/meminfo
s df; df -P -h 2>&1; echo; df -P -i 2>&1
s mounts; cat /proc/mounts
s ip-addr; ip addr 2>&1 || ifconfig -a 2>&1
s ip-route; ip route 2>&1; ip -6 route 2>&1
s sockets; ss -tuln 2>&1 || netstat -tuln 2>&1
s resolv-conf; cat /etc/resolv.conf 2>&1
s dmesg; dmesg 2>&1 | tail -n "$n"
s engine-journal
if command -v journalctl >/dev/null 2>&1; then
  journalctl -u docker.service -u containerd.service --no-pager -n "$n" 2>&1
fi
for f in /var/log/docker.log /var/log/dockerd.log /var/log/daemon.log; do
  [ -r "$f" ] && { echo "== $f"; tail -n "$n" "$f"; }
done
s daemon-json; cat /etc/docker/daemon.json 2>&1
s end
"""

DOCKER_CLI_SCRIPT = """\
m="$1"; n="$2"
s() { printf '\\n%s%s\\n' "$m" "$1"; }
s info; docker info --format '{{json .}}' 2>&1
s version; docker version --format '{{json .}}' 2>&1
ids=$(docker ps -aq --no-trunc 2>/dev/null)
s inspect
if [ -n "$ids" ]; then docker inspect $ids 2>&1; else echo '[]'; fi
for id in $ids; do s "log $id"; docker logs --tail "$n" --timestamps "$id" 2>&1; done
s end
"""


@dataclass
class DockerFacts:
    info: Any = None
    version: Any = None
    inspects: list[dict[str, Any]] = field(default_factory=list)
    logs: dict[str, str] = field(default_factory=dict)  # container id -> last lines
    errors: dict[str, str] = field(default_factory=dict)


def new_marker() -> str:
    return f"@@edgegui-{secrets.token_hex(8)}@@ "


def split_marked(text: str, marker: str) -> dict[str, str]:
    """Sections of a marked script output, with their blank lines kept."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.split("\n"):
        if line.startswith(marker):
            current = sections.setdefault(line[len(marker) :].strip(), [])
        elif current is not None:
            current.append(line.rstrip("\r"))
    return {name: "\n".join(lines).strip("\n") + "\n" for name, lines in sections.items()}


def gather_system(transport: Transport, lines: int) -> dict[str, str]:
    """dmesg, disks, network, the engine's journal …: one remote script."""
    marker = new_marker()
    result = transport.run_script(SYSTEM_SCRIPT, [marker, str(lines)], timeout=120.0)
    sections = split_marked(result.stdout.decode("utf-8", "replace"), marker)
    if "end" not in sections:
        sections["collector-error"] = f"system script incomplete (exit {result.exit_status})\n"
    sections.pop("end", None)
    return sections


def gather_docker_api(client: Any, lines: int) -> DockerFacts:
    api = client.api
    facts = DockerFacts()
    with ThreadPoolExecutor(POOL_SIZE, thread_name_prefix="edgegui-diagnose") as pool:
        info_job, version_job = pool.submit(api.info), pool.submit(api.version)
        ids = [c["Id"] for c in api.containers(all=True)]
        inspect_jobs = {cid: pool.submit(api.inspect_container, cid) for cid in ids}
        log_jobs = {
            cid: pool.submit(api.logs, cid, tail=lines, timestamps=True, stream=False)
            for cid in ids
        }
        for name, job in (("info", info_job), ("version", version_job)):
            try:
                setattr(facts, name, job.result())
            except Exception as exc:  # noqa: BLE001 - recorded in the bundle, the rest goes on
                facts.errors[f"docker {name}"] = str(exc)
        for cid in ids:
            try:
                facts.inspects.append(inspect_jobs[cid].result())
                facts.logs[cid] = log_jobs[cid].result().decode("utf-8", "replace")
            except Exception as exc:  # noqa: BLE001 - a container removed meanwhile
                facts.errors[f"container {cid[:12]}"] = str(exc)
    return facts


def gather_docker_cli(transport: Transport, lines: int) -> DockerFacts:
    marker = new_marker()
    script = with_engine_env(transport, DOCKER_CLI_SCRIPT)
    result = transport.run_script(script, [marker, str(lines)], timeout=600.0)
    sections = split_marked(result.stdout.decode("utf-8", "replace"), marker)
    facts = DockerFacts()
    for name in ("info", "version"):
        try:
            setattr(facts, name, json.loads(sections.get(name, "")))
        except json.JSONDecodeError:
            facts.errors[f"docker {name}"] = sections.get(name, "no output").strip()[:500]
    try:
        inspects = json.loads(sections.get("inspect", "[]"))
        facts.inspects = [i for i in inspects if isinstance(i, dict)]
    except json.JSONDecodeError:
        facts.errors["docker inspect"] = sections.get("inspect", "").strip()[:500]
    for name, text in sections.items():
        if name.startswith("log "):
            facts.logs[name[4:]] = text
    if "end" not in sections:
        facts.errors["docker"] = f"docker script incomplete (exit {result.exit_status})"
    return facts
