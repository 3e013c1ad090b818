"""Secret and config files of a stack on the device.

Secrets go into a small named volume per service, written through the Docker API with the
owner and mode 0600 the template asks for (no root login needed), and mounted read-only at
/run/secrets. Their volume name carries a digest of the content, so a rollback finds the
previous secrets still there. Configs are plain 0644 files bind-mounted read-only.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from edgegui.core.deploy.errors import DeployError
from edgegui.core.deploy.remote_state import STATE_ROOT
from edgegui.core.deploy.spec import SECRETS_DIR, project_labels
from edgegui.core.transport.base import Transport

if TYPE_CHECKING:
    import docker

KIND_LABEL = "io.edgegui.kind"
SECRETS_KIND = "secrets"
_WRITE_CONFIG = 'umask 022; mkdir -p "$(dirname "$1")" && cat > "$1.tmp" && mv -f "$1.tmp" "$1"'


def digest_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def service_secrets(
    body: Mapping[str, Any], values: Mapping[str, str], owners: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """Target file name -> (value, "uid:gid") for the secrets one service uses."""
    wanted: dict[str, tuple[str, str]] = {}
    for entry in body.get("secrets", ()):
        source = entry["source"]
        if source not in values:
            raise DeployError(f"secret {source}: no value was rendered for it")
        wanted[entry.get("target", source)] = (values[source], owners.get(source, "0:0"))
    return wanted


def write_secret_volume(
    client: docker.DockerClient,
    stack: str,
    service: str,
    image_id: str,
    secrets: Mapping[str, tuple[str, str]],
) -> str:
    """Create (or reuse) the volume holding ``secrets``; returns its name."""
    import docker.errors

    fingerprint = hashlib.sha256(
        repr(sorted((k, digest_text(v), o) for k, (v, o) in secrets.items())).encode()
    ).hexdigest()[:12]
    name = f"{stack}_edgegui-secrets-{service}-{fingerprint}"
    try:
        client.volumes.get(name)
        return name  # same name, same content
    except docker.errors.NotFound:
        pass
    labels = {**project_labels(stack), KIND_LABEL: SECRETS_KIND, "io.edgegui.service": service}
    client.volumes.create(name, labels=labels)
    helper = client.containers.create(
        image_id,
        name=f"{name}-writer",
        mounts=[{"Type": "volume", "Source": name, "Target": SECRETS_DIR, "ReadOnly": False}],
        network_mode="none",
        labels={KIND_LABEL: "secret-writer"},
    )
    try:
        if not helper.put_archive(SECRETS_DIR, _secrets_tar(secrets)):
            raise DeployError(f"{stack}/{service}: the engine refused the secret files")
    except BaseException:
        client.volumes.get(name).remove(force=True)  # never leave a half-written volume
        raise
    finally:
        helper.remove(force=True)
    return name


def _secrets_tar(secrets: Mapping[str, tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for target, (value, owner) in sorted(secrets.items()):
            data = value.encode()
            uid, _, gid = owner.partition(":")
            info = tarfile.TarInfo(target)
            info.size, info.mode = len(data), 0o600
            info.uid, info.gid = int(uid or 0), int(gid or uid or 0)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def write_config_files(
    transport: Transport, stack: str, home: str, configs: Mapping[str, str]
) -> dict[str, str]:
    """Write each config as a 0644 file named by its digest; returns name -> absolute path."""
    paths = {}
    for name, text in sorted(configs.items()):
        relative = f"{STATE_ROOT}/{stack}/configs/{digest_text(text)[:12]}-{name}"
        write_public_file(transport, relative, text, f"config {name}")
        paths[name] = f"{home}/{relative}"
    return paths


def write_public_file(transport: Transport, relative: str, text: str, what: str) -> None:
    """Write a 0644 file at ``relative`` (to the login's home) on the device, atomically."""
    result = transport.run(["sh", "-c", _WRITE_CONFIG, "sh", relative], stdin=text.encode())
    if not result.ok:
        raise DeployError(f"{transport.describe()}: cannot write {what}")


def unused_secret_volumes(client: docker.DockerClient, stack: str, keep: set[str]) -> list[Any]:
    """Secret volumes of ``stack`` neither the current nor the previous version uses."""
    volumes = client.volumes.list(
        filters={"label": [f"com.docker.compose.project={stack}", f"{KIND_LABEL}={SECRETS_KIND}"]}
    )
    return [volume for volume in volumes if volume.name not in keep]
