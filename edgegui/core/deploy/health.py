"""The health gate: after starting, every service must be running, healthy when it has a
healthcheck, answer on its published ports on the device, and find its bound devices."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from edgegui.core.deploy.result import ServiceState
from edgegui.core.deploy.spec import ServicePlan
from edgegui.core.events import CancelToken
from edgegui.core.transport.base import Transport

_PORT_CHECK = """\
if command -v nc >/dev/null 2>&1; then nc -z -w 2 "$1" "$2"; exit $?; fi
if command -v bash >/dev/null 2>&1; then
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2"; exit $?
fi
exit 4
"""
_FIRST_POLL = 0.1  # seconds between the gate's first looks, growing to
_LAST_POLL = 1.0


def _container_state(container: Any) -> tuple[str, str, str]:
    """(status, health, why) of a reloaded container."""
    state = container.attrs.get("State", {})
    status = state.get("Status", "unknown")
    health = state.get("Health", {}) or {}
    why = ""
    if status in ("exited", "dead") or (status == "restarting" and state.get("ExitCode")):
        why = f"exited with code {state.get('ExitCode')}"
    elif health.get("Status") == "unhealthy":
        logs = health.get("Log") or [{}]
        output = str(logs[-1].get("Output", "")).strip().splitlines()
        why = "healthcheck failed" + (f": {output[-1][:200]}" if output else "")
    return status, str(health.get("Status", "none")), why


def _port_answers(transport: Transport, host: str, port: int) -> bool:
    probe_host = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 - a bind-all
    result = transport.run(["sh", "-c", _PORT_CHECK, "sh", probe_host, str(port)], timeout=15)
    return result.exit_status in (0, 4)  # 4: the device has no tool to check with


def _missing_devices(transport: Transport, plan: ServicePlan) -> list[str]:
    missing = []
    for path in plan.devices:
        if not transport.run(["test", "-e", path]).ok:
            missing.append(path)
    return missing


class OwnHealthCheck:
    """The service's own healthcheck command, run by exec as soon as the container runs.

    The engine first checks only after ``interval`` (30 s by default; Engine 20.10 has no
    ``start_interval``). Passing here lets the gate pass at once; failing here proves
    nothing yet, so failures are still the engine's verdict after its retries.
    """

    def __init__(self, plan: ServicePlan) -> None:
        check = plan.create.get("healthcheck") or {}
        test = [str(part) for part in check.get("test", ())]
        self.argv: list[str] | None = None
        if test[:1] == ["CMD"] and len(test) > 1:
            self.argv = test[1:]
        elif test[:1] == ["CMD-SHELL"] and len(test) > 1:
            self.argv = ["/bin/sh", "-c", " ".join(test[1:])]
        self.timeout = float(check.get("timeout", 30 * 10**9)) / 10**9
        self._exec_id: str | None = None
        self._started = 0.0

    def passed(self, container: Any) -> bool:
        """True once a run exited 0; otherwise starts the next run (never more than one)."""
        import docker.errors

        if self.argv is None:
            return False
        api = container.client.api
        try:
            if self._exec_id is not None:
                info = api.exec_inspect(self._exec_id)
                if info.get("Running") and time.monotonic() - self._started < self.timeout:
                    return False
                self._exec_id = None
                if not info.get("Running") and info.get("ExitCode") == 0:
                    return True
            self._exec_id = str(api.exec_create(container.id, self.argv)["Id"])
            api.exec_start(self._exec_id, detach=True)
            self._started = time.monotonic()
        except docker.errors.APIError:
            self._exec_id = None  # not running (yet), or gone: the next poll tells
        return False


def wait_until_healthy(
    transport: Transport,
    plans: Mapping[str, ServicePlan],
    containers: Mapping[str, Any],
    timeout: float,
    cancel: CancelToken | None = None,
) -> tuple[dict[str, ServiceState], str]:
    """Poll until every service passes or ``timeout``; returns states and why it failed ("").

    Polls come quickly at first (a service is often up within a fraction of a second)
    and slow down to once a second.
    """
    deadline = time.monotonic() + timeout
    states = {name: ServiceState(name) for name in plans}
    own_checks = {
        name: OwnHealthCheck(plan) for name, plan in plans.items() if plan.has_healthcheck
    }
    pause = _FIRST_POLL
    while True:
        if cancel is not None:
            cancel.raise_if_cancelled()
        failure, pending = "", []
        for name, plan in plans.items():
            container = containers[name]
            container.reload()
            status, health, why = _container_state(container)
            # A check of the image's own (Dockerfile HEALTHCHECK) has no command of ours to run.
            own = own_checks.get(name)
            if status == "running" and health == "starting" and own and own.passed(container):
                health = "healthy"
            service = states[name]
            service.state, service.health, service.problems = status, health, []
            if why:
                service.problems.append(why)
                failure = failure or f"service {name} {why}"
                continue
            if status != "running" or (plan.has_healthcheck and health != "healthy"):
                pending.append(f"{name} is {health if status == 'running' else status}")
                continue
            missing = _missing_devices(transport, plan)
            if missing:
                service.problems.append(f"device {', '.join(missing)} is not present")
                pending.append(f"{name} lacks {', '.join(missing)}")
            for host, port in plan.ports:
                if not _port_answers(transport, host, port):
                    service.problems.append(f"port {host}:{port} does not answer")
                    pending.append(f"{name} port {port} does not answer")
        if failure:
            return states, failure
        if not pending:
            return states, ""
        if time.monotonic() >= deadline:
            return states, f"not healthy within {timeout:g} s: {'; '.join(pending)}"
        time.sleep(pause)
        pause = min(_LAST_POLL, pause * 1.5)
