"""Deploy, roll back and remove a stack on a device: the transaction around reconcile.

Order of a deploy: images (from the bundle, only missing layers) and files are put in place
before anything is stopped; then changed services are swapped; then the health gate; on
failure the swap is undone and the previous version runs again.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edgegui.core.audit import audited
from edgegui.core.audit.store import utc_now
from edgegui.core.bundle import BundleReader, opened
from edgegui.core.deploy import confinement, files, reconcile
from edgegui.core.deploy import daemon_profile as daemon_profiles
from edgegui.core.deploy.errors import DeployError, NothingToRollBack
from edgegui.core.deploy.health import wait_until_healthy
from edgegui.core.deploy.remote_state import (
    StackVersion,
    check_stack_name,
    forget_stack,
    home_dir,
    load_version,
    read_remote,
    save_version,
    state_path,
)
from edgegui.core.deploy.result import DeployResult
from edgegui.core.deploy.spec import network_name
from edgegui.core.deploy.transfer import send_images
from edgegui.core.events import CancelToken, Progress, ProgressCallback
from edgegui.core.templates import RenderedStack
from edgegui.core.transport.base import Transport

if TYPE_CHECKING:
    import docker


def _image_ids(
    client: docker.DockerClient,
    compose: dict[str, Any],
    where: str,
    pinned: Mapping[str, str],
) -> dict[str, str]:
    """Service -> image ID. An image that came from the bundle is taken by the ID recorded
    there, never by what its tag points to on the device."""
    import docker.errors

    ids = {}
    for name, body in compose["services"].items():
        try:
            ids[name] = str(client.images.get(pinned.get(body["image"], body["image"])).id)
        except docker.errors.ImageNotFound:
            raise DeployError(
                f"{where}: image {body['image']} (service {name}) is not on the device; "
                "bring it in a bundle (--bundle FILE)"
            ) from None
    return ids


def _check_images_available(
    client: docker.DockerClient, refs: list[str], bundle: Path | BundleReader | None, where: str
) -> None:
    """Refuse before sending anything when an image is neither on the device nor bundled."""
    import docker.errors

    missing = []
    for ref in refs:
        try:
            client.images.get(ref)
        except docker.errors.ImageNotFound:
            missing.append(ref)
    if missing and bundle is not None:
        with opened(bundle) as reader:
            missing = [ref for ref in missing if reader.manifest.image(ref) is None]
    if missing:
        where_bundle = getattr(bundle, "path", bundle)
        source = f"nor in {where_bundle}" if bundle is not None else "and no --bundle was given"
        raise DeployError(f"{where}: image {', '.join(missing)} is not on the device {source}")


def _prepare_version(
    transport: Transport,
    client: docker.DockerClient,
    rendered: RenderedStack,
    stack: str,
    home: str,
    pinned: Mapping[str, str],
    result: DeployResult,
) -> StackVersion:
    """Write secret volumes, config files and seccomp profiles; nothing running is touched."""
    compose = copy.deepcopy(rendered.compose)
    compose["name"] = stack
    engine = confinement.engine_confinement_of(client)
    result.security = confinement.confine_services(compose["services"], rendered.services, engine)
    # The file kept on the device, as rendered but with what this engine enforces.
    confined = dataclasses.replace(rendered, compose={**compose, "name": rendered.name})
    images = _image_ids(client, compose, transport.describe(), pinned)
    result.images = {
        name: {"image": body["image"], "id": images[name]}
        for name, body in sorted(compose["services"].items())
    }
    secrets = rendered.secret_files
    digests = {name: files.digest_text(value) for name, value in secrets.items()}
    digests.update({n: files.digest_text(t) for n, t in rendered.config_files.items()})
    volumes = {}
    for name, body in compose["services"].items():
        wanted = files.service_secrets(body, secrets, rendered.secret_owners)
        if wanted:
            volumes[name] = files.write_secret_volume(client, stack, name, images[name], wanted)
    profiles = confined.seccomp_profiles
    confinement.write_profiles(transport, stack, profiles)
    return StackVersion(
        stack=stack,
        compose=compose,
        compose_yaml=confined.to_compose_yaml(),
        images=images,
        secret_volumes=volumes,
        config_paths=files.write_config_files(transport, stack, home, rendered.config_files),
        file_digests=digests,
        source=rendered.source,
        seccomp_profiles=profiles,
        parameters=dict(rendered.parameters),
        rendered_sha256=compose_digest(rendered),
        deployed_at=utc_now(),
        notes=list(rendered.notes),
    )


def _run_version(
    transport: Transport,
    client: docker.DockerClient,
    version: StackVersion,
    result: DeployResult,
    health_timeout: float,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> bool:
    """Apply ``version`` and gate it; undo and return False when it does not come up."""
    plans = reconcile.plan_version(client, version)
    swap = reconcile.apply_version(
        client, version, plans, progress=progress, cancel=cancel, timed=result.timed
    )
    try:
        with result.timed("health gate"):
            states, failure = wait_until_healthy(
                transport, plans, swap.containers, health_timeout, cancel
            )
    except BaseException:
        reconcile.undo(client, version.stack, swap)
        raise
    for name in swap.changed:
        states[name].changed = True
    result.services = states
    if failure:
        with result.timed("roll back"):
            reconcile.undo(client, version.stack, swap)
        result.ok, result.rolled_back, result.reason = False, True, failure
        return False
    with result.timed("remove old containers"):
        reconcile.commit(client, version.stack)
    result.ok = True
    return bool(swap.changed or swap.retired)


def _drop_unused_secrets(client: docker.DockerClient, transport: Transport, stack: str) -> None:
    keep: set[str] = set()
    for which in ("current", "previous"):
        version = load_version(transport, stack, which)
        if version is not None:
            keep.update(version.secret_volumes.values())
    for volume in files.unused_secret_volumes(client, stack, keep):
        with contextlib.suppress(Exception):  # still in use by a kept container: next time
            volume.remove()


def deploy_stack(
    transport: Transport,
    rendered: RenderedStack,
    *,
    stack: str,
    bundle: Path | BundleReader | None = None,
    daemon_profile: str | None = None,
    health_timeout: float = 120,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    public_key: Path | None = None,
) -> DeployResult:
    """Deploy ``rendered`` as ``stack``; on a failed health gate the previous version runs.
    With ``public_key`` the bundle must carry a valid signature by that key."""
    check_stack_name(stack)
    if not rendered.allows("compose"):
        limited = ", ".join(rendered.formats)
        raise DeployError(
            f"{transport.describe()}: {limited} cannot run as a Compose stack, which is what "
            "EdgeGUI deploys; render it with --format swarm and run docker stack deploy"
        )
    audit = {"stack": stack, "source": rendered.source, "compose_sha256": compose_digest(rendered)}
    with audited("deploy", transport, audit) as outcome, engine_errors(transport):
        result = _deploy(
            transport,
            rendered,
            stack,
            bundle,
            daemon_profile,
            health_timeout,
            progress,
            cancel,
            public_key,
        )
        outcome.update(ok=result.ok, rolled_back=result.rolled_back, changed=result.changed)
        outcome.update(reason=result.reason)
    return result


def compose_digest(rendered: RenderedStack) -> str:
    """SHA-256 of the rendered Compose file: the stack's fingerprint in audit and reports."""
    return hashlib.sha256(rendered.to_compose_yaml().encode()).hexdigest()


@contextlib.contextmanager
def engine_errors(transport: Transport) -> Iterator[None]:
    """Docker SDK and HTTP errors become one-line DeployErrors naming the device."""
    import docker.errors

    try:
        yield
    except (docker.errors.DockerException, OSError) as exc:  # requests' errors are OSErrors
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DeployError(f"{transport.describe()}: Docker Engine: {message}") from exc


def _deploy(
    transport: Transport,
    rendered: RenderedStack,
    stack: str,
    bundle: Path | BundleReader | None,
    daemon_profile: str | None,
    health_timeout: float,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    public_key: Path | None,
) -> DeployResult:
    report = progress or (lambda _: None)
    result = DeployResult(stack, notes=list(rendered.notes))
    with result.timed("reach the engine"):
        client = transport.docker_client()
        home = home_dir(transport)
    with result.timed("check images"):
        _check_images_available(client, rendered.images, bundle, transport.describe())
    pinned: dict[str, str] = {}
    if bundle is not None:
        report(Progress("deploy", 0, 4, "sending images", unit="steps"))
        with result.timed("send images"):
            sent = send_images(
                transport,
                client,
                bundle,
                rendered.images,
                home=home,
                public_key=public_key,
                progress=progress,
                cancel=cancel,
            )
        result.bytes_sent, result.images_loaded = sent.bytes_sent, sent.loaded
        pinned = sent.pinned
    if daemon_profile is not None:
        report(Progress("deploy", 1, 4, f"daemon profile {daemon_profile}", unit="steps"))
        with result.timed("daemon profile"):
            daemon_profiles.apply_profile(transport, daemon_profile)
            client = transport.docker_client()
    report(Progress("deploy", 2, 4, "writing files", unit="steps"))
    with result.timed("write files"):
        version = _prepare_version(transport, client, rendered, stack, home, pinned, result)
        before = load_version(transport, stack, "current")
    report(Progress("deploy", 3, 4, "starting services", unit="steps"))
    changed = _run_version(transport, client, version, result, health_timeout, progress, cancel)
    if result.ok:
        with result.timed("record the version"):
            if changed and before is not None:
                save_version(transport, before, "previous")
            save_version(transport, version, "current")
            _drop_unused_secrets(client, transport, stack)
    report(Progress("deploy", 4, 4, "done" if result.ok else result.reason, unit="steps"))
    return result


def rollback_stack(
    transport: Transport,
    stack: str,
    progress: ProgressCallback | None = None,
    *,
    health_timeout: float = 120,
) -> DeployResult:
    """Run the version kept from before the last deploy again; the current becomes previous."""
    check_stack_name(stack)
    previous = load_version(transport, stack, "previous")
    if previous is None:
        raise NothingToRollBack(f"{transport.describe()}: stack {stack} has no previous version")
    current = load_version(transport, stack, "current")
    client = transport.docker_client()
    result = DeployResult(stack)
    with audited("rollback", transport, {"stack": stack, "to": previous.source}) as outcome:
        with engine_errors(transport):
            _run_version(transport, client, previous, result, health_timeout, progress, None)
        outcome.update(ok=result.ok, reason=result.reason)
    if result.ok:
        save_version(transport, previous, "current")
        if current is not None:
            save_version(transport, current, "previous")
    else:
        result.rolled_back = False
        result.reason = f"the previous version did not come up ({result.reason}); nothing changed"
    return result


def remove_stack(transport: Transport, stack: str, *, volumes: bool = False) -> None:
    """Remove the stack's containers, network and secrets; named volumes only with ``volumes``."""
    import docker.errors

    check_stack_name(stack)
    client = transport.docker_client()
    with audited("remove", transport, {"stack": stack, "volumes": volumes}):
        for container in reconcile.stack_containers(client, stack):
            container.remove(force=True, v=False)
        with contextlib.suppress(docker.errors.NotFound):
            client.networks.get(network_name(stack)).remove()
        for volume in files.unused_secret_volumes(client, stack, keep=set()):
            volume.remove(force=True)
        if volumes:
            labels = {"label": f"com.docker.compose.project={stack}"}
            for volume in client.volumes.list(filters=labels):
                volume.remove(force=True)
        forget_stack(transport, stack)


def current_compose(transport: Transport, stack: str) -> str | None:
    """The rendered Compose file of the version running now, or None if never deployed."""
    data = read_remote(transport, state_path(stack, "compose.yaml"))
    return None if data is None else data.decode("utf-8", "replace")
