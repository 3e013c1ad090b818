"""A full status snapshot of a device: one metrics exec plus concurrent Docker API calls.

Over SSH every Docker request travels on the one connection (its channel pool holds 16),
so inspect and one-shot stats for all containers run side by side in a thread pool. A
serial console has no Docker API: there the docker CLI on the device answers instead.
"""

from __future__ import annotations

import gc
import json
import threading
import time
import warnings
import weakref
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from edgegui.core.errors import EdgeGUIError, TransportError, Unsupported
from edgegui.core.labels import PROJECT_LABEL
from edgegui.core.monitor.alerts import Thresholds, compute_alerts, parse_events
from edgegui.core.monitor.cgroup_stats import DIRECT_ONE_SHOT_API, parse_cgroup_section
from edgegui.core.monitor.containers import container_status
from edgegui.core.monitor.device_metrics import (
    collect_device_metrics,
    collect_metrics_and_cgroups,
    split_sections,
    with_cpu_percent,
)
from edgegui.core.monitor.model import (
    ContainerStatus,
    DeviceMetrics,
    DeviceStatus,
    DockerEvent,
    StackStatus,
)
from edgegui.core.monitor.streams import close_stream
from edgegui.core.transport.base import Transport
from edgegui.core.transport.engine import with_engine_env

if TYPE_CHECKING:
    import docker

POOL_SIZE = 16  # matches the SSH Docker client's channel pool
DEFAULT_EVENT_WINDOW_S = 600.0  # "since the last look" when there was no last look
ONE_SHOT_API = (1, 41)  # stats?one-shot=true: one sample instead of waiting for two

_clients: weakref.WeakKeyDictionary[Transport, docker.DockerClient] = weakref.WeakKeyDictionary()
_clients_lock = threading.Lock()


def docker_client_for(transport: Transport) -> docker.DockerClient:
    """One Docker client per transport, reused by every snapshot.

    Raises Unsupported (serial: no API) or TransportError (no engine answering).
    """
    import docker.errors

    with _clients_lock:
        client = _clients.get(transport)
        if client is not None:
            return client
        try:
            client = transport.docker_client()
        except docker.errors.DockerException as exc:
            problem = str(exc)
        else:
            _clients[transport] = client
            return client
    # Only now, with the exception and its frames gone, can the socket be collected.
    _collect_leaked_socket()
    raise TransportError(f"{transport.describe()}: Docker Engine not reachable: {problem}")


def _collect_leaked_socket() -> None:
    """docker-py leaves the socket of a failed version request open: close it now, quietly.

    Left to the garbage collector it would warn (ResourceWarning) at some random later point.
    Only on the main thread: a collection on a worker thread (a GUI's snapshot) would also
    delete whatever GUI objects are garbage, off the thread that owns them; the GUI collects
    on its own thread (edgegui.gui.gcguard).
    """
    if threading.current_thread() is not threading.main_thread():
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def snapshot(
    transport: Transport,
    *,
    since_events: float | None = None,
    previous: DeviceStatus | None = None,
    thresholds: Thresholds | None = None,
    stats_source: str = "auto",
) -> DeviceStatus:
    """Everything ``edgegui status`` shows, in one pass.

    ``since_events`` is the device-clock epoch of the last look (events after it are
    reported; None means the last ten minutes). ``previous`` lends its CPU counters so
    that one-shot stats still yield CPU %. ``stats_source``: ``auto`` (one-shot stats on
    engines that answer them at once, API 1.44+; cgroup counters read in the metrics
    script on older ones), ``api`` or ``cgroup``.
    """
    if stats_source not in ("auto", "api", "cgroup"):
        raise EdgeGUIError(f"stats source {stats_source!r}: use auto, api or cgroup")
    started = time.monotonic()
    try:
        client = docker_client_for(transport)
    except Unsupported:
        gathered = _gather_over_cli(transport, since_events, previous)
    except TransportError as exc:
        # No engine: the device itself still deserves a look (disk full, too hot …).
        metrics = collect_device_metrics(transport)
        gathered = (metrics, [], (), (None, None), {"access": "none"}, [str(exc)])
    else:
        gathered = _gather_over_api(client, transport, since_events, previous, stats_source)
    metrics, containers, events, window, engine, errors = gathered
    metrics = with_cpu_percent(metrics, previous.device if previous else None)
    alerts = compute_alerts(metrics, containers, events, thresholds or Thresholds())
    return DeviceStatus(
        target=transport.describe(),
        taken_at=time.time(),
        elapsed_s=round(time.monotonic() - started, 4),
        device=metrics,
        stacks=group_stacks(containers),
        events=events,
        events_since=window[0],
        events_until=window[1],
        alerts=alerts,
        engine=engine,
        errors=tuple(errors),
    )


_Gathered = tuple[
    DeviceMetrics,
    list[ContainerStatus],
    tuple[DockerEvent, ...],
    tuple[float | None, float | None],
    dict[str, Any],
    list[str],
]


def group_stacks(containers: list[ContainerStatus]) -> tuple[StackStatus, ...]:
    """Stacks by Compose project name, sorted; lone containers form the '' stack, last."""
    stacks: dict[str, list[ContainerStatus]] = {}
    for c in sorted(containers, key=lambda c: (c.service, c.name)):
        stacks.setdefault(c.stack, []).append(c)
    order = sorted(stacks, key=lambda name: (name == "", name))
    return tuple(StackStatus(name, tuple(stacks[name])) for name in order)


def _gather_over_api(
    client: docker.DockerClient,
    transport: Transport,
    since: float | None,
    previous: DeviceStatus | None,
    stats_source: str,
) -> _Gathered:
    import docker.errors

    api = client.api
    version = _version(api)
    # Engines before API 1.44 answer one-shot stats on the collector's 1 s tick.
    from_cgroups = stats_source == "cgroup" or (
        stats_source == "auto" and version < DIRECT_ONE_SHOT_API
    )
    one_shot = version >= ONE_SHOT_API
    errors: list[str] = []
    with ThreadPoolExecutor(POOL_SIZE, thread_name_prefix="edgegui-status") as pool:
        metrics_job = None if from_cgroups else pool.submit(collect_device_metrics, transport)
        images_job = pool.submit(api.images)
        try:
            summaries = api.containers(all=True)
        except (docker.errors.DockerException, OSError) as exc:
            raise TransportError(f"{transport.describe()}: cannot list containers: {exc}") from None
        running = {s["Id"] for s in summaries if s.get("State") == "running"}
        inspect_jobs = {s["Id"]: pool.submit(api.inspect_container, s["Id"]) for s in summaries}
        stats_jobs: dict[str, Future[Any]] = {}
        if not from_cgroups:
            stats_jobs = {cid: pool.submit(_stats, api, cid, one_shot) for cid in running}
        inspects = _results(inspect_jobs)
        cgroup_stats: dict[str, Any] = {}
        if metrics_job is None:
            pids = [
                f"{cid}:{i['State']['Pid']}"
                for cid, i in inspects.items()
                if (i.get("State") or {}).get("Running") and (i.get("State") or {}).get("Pid")
            ]
            metrics, lines = collect_metrics_and_cgroups(transport, pids)
            cgroup_stats = parse_cgroup_section(
                lines, online_cpus=metrics.cpus, mem_total=metrics.mem_total_bytes
            )
            # A container whose cgroup could not be read still gets the engine's figures.
            stats_jobs = {
                cid: pool.submit(_stats, api, cid, one_shot)
                for cid in running
                if cid not in cgroup_stats and cid in inspects
            }
        else:
            metrics = metrics_job.result()
        until = metrics.clock_epoch or time.time()
        since = since if since is not None else until - DEFAULT_EVENT_WINDOW_S
        events_job = pool.submit(_events_over_api, api, since, until)
        digests, tags = _image_references(images_job, errors)
        old = {c.id: c for c in previous.containers} if previous else {}
        containers = []
        for cid, inspect in inspects.items():
            stats: Any = cgroup_stats.get(cid)
            problems: tuple[str, ...] = ()
            if cid in stats_jobs:
                try:
                    stats = stats_jobs[cid].result()
                except (docker.errors.DockerException, OSError) as exc:
                    problems = (f"stats: {exc}",)
            containers.append(
                container_status(
                    inspect,
                    stats,
                    now=until,
                    repo_digests=digests,
                    repo_tags=tags,
                    previous=old.get(cid),
                    errors=problems,
                )
            )
        try:
            events = parse_events(events_job.result())
        except (docker.errors.DockerException, OSError) as exc:
            events = ()
            errors.append(f"events: {exc}")
    engine = {
        "api_version": api._version,
        "access": "api",
        "stats": "cgroup" if from_cgroups else "one-shot" if one_shot else "two-sample",
    }
    return metrics, containers, events, (since, until), engine, errors


def _results(jobs: dict[str, Future[Any]]) -> dict[str, Any]:
    import docker.errors

    found = {}
    for cid, job in jobs.items():
        try:
            found[cid] = job.result()
        except docker.errors.NotFound:
            continue  # removed between the list and the inspect
    return found


def _version(api: Any) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in str(api._version).split("."))
    except ValueError:
        return (0,)


def _stats(api: Any, cid: str, one_shot: bool) -> Any:
    if one_shot:
        return api.stats(cid, stream=False, one_shot=True)
    return api.stats(cid, stream=False)  # old engines: waits for a second sample


def _events_over_api(api: Any, since: float, until: float) -> list[Mapping[str, Any]]:
    # until must be on the device's clock: the engine waits for an ``until`` in its future.
    stream = api.events(
        since=f"{since:.9f}", until=f"{until:.9f}", filters={"type": "container"}, decode=True
    )
    try:
        return list(stream)
    finally:
        close_stream(stream)


def _image_references(
    job: Future[Any], errors: list[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Image ID -> registry digests, and image ID -> tags (names for ID-created containers)."""
    try:
        images = job.result()
    except Exception as exc:  # noqa: BLE001 - digests are optional; the rest still counts
        errors.append(f"images: {exc}")
        return {}, {}
    digests = {img["Id"]: list(img.get("RepoDigests") or []) for img in images}
    tags = {img["Id"]: list(img.get("RepoTags") or []) for img in images}
    return digests, tags


# -- the serial console: the docker CLI on the device ------------------------------------
# $1: events since (epoch, or a duration like 600s). The window ends at the device's now.
CLI_SCRIPT = """\
s() { printf '\\n%s%s\\n' '@@edgegui-metrics ' "$1"; }
u=$(date +%s.%N); case $u in *N) u=${u%.N} ;; esac
s clock; echo "$u"
s inspect
ids=$(docker ps -aq --no-trunc 2>&1) || { s error; echo "$ids"; exit 0; }
if [ -n "$ids" ]; then docker inspect $ids; else echo '[]'; fi
s events
docker events --since "$1" --until "$u" --filter type=container --format '{{json .}}'
s end
"""


def _gather_over_cli(
    transport: Transport, since: float | None, previous: DeviceStatus | None
) -> _Gathered:
    """Two framed scripts: inspect and events by the docker CLI, then metrics and cgroups."""
    window = f"{since:.9f}" if since is not None else f"{DEFAULT_EVENT_WINDOW_S:.0f}s"
    result = transport.run_script(with_engine_env(transport, CLI_SCRIPT), [window], timeout=60.0)
    sections = split_sections(result.stdout.decode("utf-8", "replace"))
    errors: list[str] = []
    if "error" in sections:
        detail = " ".join(sections["error"])[:200]
        raise EdgeGUIError(f"{transport.describe()}: docker CLI failed: {detail}")
    try:
        inspects = json.loads("\n".join(sections.get("inspect", [])) or "[]")
    except json.JSONDecodeError:
        errors.append("docker inspect output unreadable")
        inspects = []
    inspects = [i for i in inspects if isinstance(i, dict)]
    pids = [
        f"{i['Id']}:{i['State']['Pid']}"
        for i in inspects
        if (i.get("State") or {}).get("Running") and (i.get("State") or {}).get("Pid")
    ]
    metrics, lines = collect_metrics_and_cgroups(transport, pids)
    usage = parse_cgroup_section(lines, online_cpus=metrics.cpus, mem_total=metrics.mem_total_bytes)
    clock = sections.get("clock", [""])[0]
    until = float(clock) if clock.replace(".", "", 1).isdigit() else time.time()
    since = since if since is not None else until - DEFAULT_EVENT_WINDOW_S
    old = {c.id: c for c in previous.containers} if previous else {}
    containers = [
        container_status(i, usage.get(i["Id"]), now=until, previous=old.get(i["Id"]))
        for i in inspects
    ]
    raws = []
    for line in sections.get("events", []):
        try:
            raws.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a console may interleave a kernel message
    engine = {"access": "cli", "stats": "cgroup"}
    return metrics, containers, parse_events(raws), (since, until), engine, errors


__all__ = ["PROJECT_LABEL", "docker_client_for", "group_stacks", "snapshot"]
