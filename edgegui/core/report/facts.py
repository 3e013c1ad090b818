"""Everything the report needs from the device beyond discovery, in one remote exec.

The script prints sections (clock, serial numbers, EdgeGUI's stack state, ``docker info``,
``docker inspect`` of the stacks' containers and images, the device's audit copy); the
parser is lenient: a section that failed becomes a problem line, never an exception.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from edgegui.core.deploy.remote_state import STACK_NAME, STATE_ROOT
from edgegui.core.transport.base import Transport
from edgegui.core.transport.engine import with_engine_env

MARK = "@@EDGEGUI-REPORT@@"
# Serial numbers from DMI and the device tree; "(needs root to read)" where they are 0400.
SERIALS_SNIPPET = """\
for f in /sys/class/dmi/id/product_serial /sys/class/dmi/id/board_serial \\
    /sys/class/dmi/id/chassis_serial /sys/firmware/devicetree/base/serial-number; do
  [ -e "$f" ] || continue
  v=$(tr -d '\\000' < "$f" 2>/dev/null) || v=$(sudo -n cat "$f" 2>/dev/null | tr -d '\\000')
  printf '%s\\t%s\\n' "$f" "${v:-(needs root to read)}"
done
"""
FACTS_TIMEOUT_S = 120.0

# $1: one stack name, or empty for every stack EdgeGUI deployed here.
FACTS_SCRIPT = f"""\
only=$1
sec() {{ printf '\\n{MARK} %s\\n' "$*"; }}
sec clock
date -u +%Y-%m-%dT%H:%M:%SZ
date +%s
sec serials
{SERIALS_SNIPPET}sec machine-id
cat /etc/machine-id 2>/dev/null
root="$HOME/{STATE_ROOT}"
stacks=$only
[ -n "$stacks" ] || stacks=$(ls "$root" 2>/dev/null)
for s in $stacks; do
  sec state "$s"
  cat "$root/$s/current.json" 2>/dev/null
done
sec docker-info
docker info --format '{{{{json .}}}}' 2>&1
ids=""
for s in $stacks; do
  ids="$ids $(docker ps -aq --filter "label=com.docker.compose.project=$s" 2>/dev/null)"
done
sec inspect
[ -n "${{ids# }}" ] && docker inspect $ids 2>&1
sec images
if [ -n "${{ids# }}" ]; then
  docker image inspect $(docker inspect --format '{{{{.Image}}}}' $ids | sort -u) 2>&1
fi
true
"""


@dataclass
class DeviceFacts:
    clock_utc: str = ""
    clock_epoch: float | None = None
    serial_numbers: list[tuple[str, str]] = field(default_factory=list)
    machine_id: str = ""
    states: dict[str, dict[str, Any]] = field(default_factory=dict)  # stack -> current.json
    docker_info: dict[str, Any] = field(default_factory=dict)
    containers: list[dict[str, Any]] = field(default_factory=list)  # docker inspect
    images: list[dict[str, Any]] = field(default_factory=list)  # docker image inspect
    problems: list[str] = field(default_factory=list)


def collect_facts(transport: Transport, stack: str | None) -> DeviceFacts:
    script = with_engine_env(transport, FACTS_SCRIPT)  # the user's engine, as status finds it
    result = transport.run_script(script, [stack or ""], timeout=FACTS_TIMEOUT_S)
    return parse_facts(result.text)


def collect_serial_numbers(transport: Transport) -> list[tuple[str, str]]:
    """(label, value) of each serial number the device exposes (the overview's identity)."""
    result = transport.run_script(SERIALS_SNIPPET, timeout=30.0)
    return _serial_lines(result.text)


def _serial_lines(body: str) -> list[tuple[str, str]]:
    found = []
    for line in body.splitlines():
        path, _, value = line.partition("\t")
        if path.startswith("/"):
            found.append((_serial_label(path), value.strip()))
    return found


def parse_facts(text: str) -> DeviceFacts:
    facts = DeviceFacts()
    for name, body in _sections(text):
        if name == "clock":
            lines = body.split()
            facts.clock_utc = lines[0] if lines else ""
            facts.clock_epoch = float(lines[1]) if len(lines) > 1 and lines[1].isdigit() else None
        elif name == "serials":
            facts.serial_numbers = _serial_lines(body)
        elif name == "machine-id":
            facts.machine_id = body.strip()
        elif name.startswith("state "):
            stack = name.split(" ", 1)[1]
            if STACK_NAME.match(stack):
                facts.states[stack] = _json(body, f"stack {stack} state", facts.problems) or {}
        elif name == "docker-info":
            facts.docker_info = _json(body, "docker info", facts.problems) or {}
        elif name == "inspect" and body.strip():
            facts.containers = _json(body, "docker inspect", facts.problems) or []
        elif name == "images" and body.strip():
            facts.images = _json(body, "docker image inspect", facts.problems) or []
    return facts


def _sections(text: str) -> list[tuple[str, str]]:
    found = []
    for chunk in text.split(f"\n{MARK} ")[1:]:
        name, _, body = chunk.partition("\n")
        found.append((name.strip(), body))
    return found


def _json(body: str, what: str, problems: list[str]) -> Any:
    text = body.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        first = text.splitlines()[0][:200]
        problems.append(f"{what}: {first}")
        return None


_SERIAL_LABELS = {
    "product_serial": "Product serial (DMI)",
    "board_serial": "Board serial (DMI)",
    "chassis_serial": "Chassis serial (DMI)",
    "serial-number": "Serial number (device tree)",
}


def _serial_label(path: str) -> str:
    return _SERIAL_LABELS.get(re.sub(r".*/", "", path), path)
