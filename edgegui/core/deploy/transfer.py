"""Send a bundle's images to a device, only the layers it lacks, resumably.

Blobs travel as numbered chunks into a staging folder on the device; a chunk that is already
there (each is written to a temporary name and renamed) is never sent again, so a cut link
resumes where it stopped. Each blob is joined and its sha256 checked on the device before
``docker load`` gets an archive that leaves out the layers the engine already holds.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import paramiko

from edgegui.core.bundle import BundleReader, ImageEntry, opened
from edgegui.core.deploy.engine_info import engine_info
from edgegui.core.deploy.errors import ArchitectureMismatch, TransferError
from edgegui.core.errors import LinkLost
from edgegui.core.events import CancelToken, Progress, ProgressCallback
from edgegui.core.transport.base import Transport
from edgegui.core.transport.engine import with_engine_env

if TYPE_CHECKING:
    import docker

STAGING = ".cache/edgegui/transfer"
CHUNK = 4 * 1024 * 1024
_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "armv6l": "arm", "i686": "386"}

_LIST = (
    'cd "$1" 2>/dev/null || exit 0; for f in *; do [ -f "$f" ] && echo "$(wc -c < "$f") $f"; done'
)
_JOIN = """\
set -e
cd "$1"; hex=$2
cat "$hex".c* > "$hex.tmp"
sum=$(sha256sum "$hex.tmp" | cut -d' ' -f1)
if [ "$sum" != "$hex" ]; then rm -f "$hex.tmp" "$hex".c*; echo "digest $sum" >&2; exit 5; fi
mv -f "$hex.tmp" "$hex"; rm -f "$hex".c*
"""
# $1: the load folder; stdin: a tar of its contents. Whatever a failure leaves, the next
# load removes first.
_LOAD = """\
set -e
rm -rf "$1"; mkdir -p -m 700 "$1"; cd "$1"
tar -xf -
tar -chf - . | docker load
cd /; rm -rf "$1"
"""


@dataclass
class TransferReport:
    bytes_sent: int = 0
    loaded: list[str] = field(default_factory=list)
    skipped_layers: int = 0
    pinned: dict[str, str] = field(default_factory=dict)  # reference -> image ID in the bundle


def device_architecture(client: docker.DockerClient) -> str:
    machine = str(engine_info(client).get("Architecture", ""))
    return _ARCH.get(machine, machine)


def chain_ids(diff_ids: Iterable[str]) -> list[str]:
    """The layer chain IDs Docker keys its layer store by (image-spec: ChainID)."""
    chain: list[str] = []
    for diff_id in diff_ids:
        if not chain:
            chain.append(diff_id)
        else:
            joined = f"{chain[-1]} {diff_id}".encode()
            chain.append("sha256:" + hashlib.sha256(joined).hexdigest())
    return chain


def device_chains(client: docker.DockerClient) -> set[str]:
    """Every layer chain the device's engine holds, from its images' RootFS.Layers."""
    chains: set[str] = set()
    for image in client.images.list(all=True):
        chains.update(chain_ids(image.attrs.get("RootFS", {}).get("Layers", [])))
    return chains


def _has_image(client: docker.DockerClient, image_id: str) -> bool:
    import docker.errors

    try:
        client.images.get(image_id)
    except docker.errors.ImageNotFound:
        return False
    return True


def _tag(client: docker.DockerClient, entry: ImageEntry) -> None:
    image = client.images.get(entry.image_id)
    for ref in entry.refs:
        if ref.startswith("sha256:"):
            continue
        repository, _, tag = ref.rpartition(":")
        if "/" in tag or not repository:  # a port, not a tag
            repository, tag = ref, "latest"
        image.tag(repository, tag)


class _Sender:
    """Chunks of blobs to one staging folder, with byte-level progress."""

    def __init__(
        self,
        transport: Transport,
        reader: BundleReader,
        staging: str,
        total: int,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> None:
        self.transport, self.reader, self.staging = transport, reader, staging
        self.progress, self.cancel = progress, cancel
        self.total, self.done, self.sent = total, 0, 0
        self.started = time.monotonic()
        self.present = self._list()

    def _list(self) -> dict[str, int]:
        result = self.transport.run(["sh", "-c", _LIST, "sh", self.staging])
        present = {}
        for line in result.text.splitlines():
            size, _, name = line.partition(" ")
            if size.isdigit():
                present[name] = int(size)
        return present

    def _report(self, message: str) -> None:
        if self.progress is not None:
            self.progress(
                Progress("transfer", self.done, self.total, message, started=self.started)
            )

    def send_blob(self, name: str, work: Path) -> None:
        hex_digest = name.rsplit("/", 1)[-1]
        _, size = self.reader.blob_span(name)
        if self.present.get(hex_digest) == size:
            self.done += size
            return
        for index, start in enumerate(range(0, max(size, 1), CHUNK)):
            if self.cancel is not None:
                self.cancel.raise_if_cancelled()
            length = min(CHUNK, size - start)
            chunk_name = f"{hex_digest}.c{index:06d}"
            if self.present.get(chunk_name) == length:
                self.done += length
                continue
            local = work / "chunk"
            local.write_bytes(self.reader.read_range(name, start, length))
            self._report(f"sending {hex_digest[:12]}")
            try:
                self.transport.put_file(local, f"{self.staging}/{chunk_name}", mode=0o600)
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise LinkLost(
                    f"{self.transport.describe()}: link lost while sending {chunk_name} "
                    f"({exc}); deploy again to resume"
                ) from exc
            self.done += length
            self.sent += length
            self._report(f"sent {hex_digest[:12]}")
        result = self.transport.run(["sh", "-c", _JOIN, "sh", self.staging, hex_digest])
        if not result.ok:
            raise TransferError(
                f"{self.transport.describe()}: {name} arrived damaged "
                f"({result.stderr.decode(errors='replace').strip()}); run the deploy again"
            )


def send_images(
    transport: Transport,
    client: docker.DockerClient,
    bundle: Path | BundleReader,
    refs: Iterable[str],
    *,
    home: str,
    public_key: Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> TransferReport:
    """Make every image of ``refs`` that the bundle holds present on the device. A shared,
    already open bundle (SharedBundle) is read from memory and left open."""
    report = TransferReport()
    with opened(bundle) as reader:
        reader.verify(public_key)  # digests (and signer) first: a tampered bundle sends nothing
        entries = {}
        for ref in refs:
            entry = reader.manifest.image(ref)
            if entry is not None:
                entries[entry.image_id] = entry
                report.pinned[ref] = entry.image_id
        arch = device_architecture(client)
        for entry in entries.values():
            if entry.architecture and entry.architecture != arch:
                raise ArchitectureMismatch(
                    f"{entry.refs[0]} is built for {entry.architecture}, "
                    f"the device {transport.describe()} runs {arch}"
                )
        missing = [e for e in entries.values() if not _has_image(client, e.image_id)]
        for entry in entries.values():
            if entry not in missing:
                _tag(client, entry)
        if not missing:
            return report
        chains = device_chains(client)
        blobs: dict[str, int] = {}
        for entry in missing:
            for layer, chain in zip(
                entry.layers, chain_ids(x.diff_id for x in entry.layers), strict=True
            ):
                if chain in chains:
                    report.skipped_layers += 1
                else:
                    blobs[layer.blob] = layer.compressed_size
        staging = f"{home}/{STAGING}"
        transport.run(["mkdir", "-p", "-m", "700", staging])
        sender = _Sender(transport, reader, staging, sum(blobs.values()), progress, cancel)
        with tempfile.TemporaryDirectory(prefix="edgegui-transfer-") as work:
            for name in sorted(blobs):
                sender.send_blob(name, Path(work))
        report.bytes_sent = sender.sent
        _load(transport, reader, missing, staging, chains)
        report.loaded.extend(entry.refs[0] for entry in missing)
        staged = [f"{staging}/{name.rsplit('/', 1)[-1]}" for name in sorted(blobs)]
        if staged:
            transport.run(["rm", "-f", "--", *staged])
    return report


def _load(
    transport: Transport,
    reader: BundleReader,
    entries: list[ImageEntry],
    staging: str,
    chains: set[str],
) -> None:
    """One ``docker load`` of every missing image, in one remote command.

    The load folder (``docker save`` layout: manifest, configs, and each new layer as a
    symlink to its staged blob) travels as a small tar on the command's stdin.
    """
    folder = f"{staging}/load"
    manifest = []
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        linked: set[str] = set()
        for entry in entries:
            layer_paths = []
            diff_ids = (x.diff_id for x in entry.layers)
            for layer, chain in zip(entry.layers, chain_ids(diff_ids), strict=True):
                folder_name = layer.diff_id.removeprefix("sha256:")
                layer_paths.append(f"{folder_name}/layer.tar")
                # The engine skips layers it holds: the archive leaves them out.
                if chain not in chains and folder_name not in linked:
                    linked.add(folder_name)
                    blob = layer.digest.removeprefix("sha256:")
                    _add_member(tar, folder_name, tarfile.DIRTYPE)
                    _add_member(tar, f"{folder_name}/layer.tar", tarfile.SYMTYPE, f"../../{blob}")
            config = f"{entry.image_id.removeprefix('sha256:')}.json"
            manifest.append({"Config": config, "RepoTags": list(entry.refs), "Layers": layer_paths})
            _add_member(tar, config, data=reader.read_blob(entry.config_blob))
        _add_member(tar, "manifest.json", data=json.dumps(manifest).encode())
    result = transport.run(
        ["sh", "-c", with_engine_env(transport, _LOAD), "sh", folder],
        stdin=archive.getvalue(),
        timeout=1800,
    )
    if not result.ok:
        refs = ", ".join(entry.refs[0] for entry in entries)
        raise TransferError(
            f"{transport.describe()}: docker load refused {refs}: "
            f"{_last_line(result.stderr or result.stdout)}"
        )


def _add_member(
    tar: tarfile.TarFile,
    name: str,
    kind: bytes = tarfile.REGTYPE,
    link: str = "",
    data: bytes = b"",
) -> None:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(data)
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    tar.addfile(info, io.BytesIO(data) if data else None)


def _last_line(data: bytes) -> str:
    lines = data.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else "no message"


def describe_image(client: docker.DockerClient, ref: str) -> dict[str, Any] | None:
    import docker.errors

    try:
        return dict(client.images.get(ref).attrs)
    except docker.errors.ImageNotFound:
        return None
