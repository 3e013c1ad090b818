"""Send a bundle's images to a device, only the layers it lacks, resumably.

Blobs travel as numbered chunks into a staging folder on the device; a chunk that is already
there (each is written to a temporary name and renamed) is never sent again, so a cut link
resumes where it stopped. Each blob is joined and its sha256 checked on the device before
``docker load`` gets an archive that leaves out the layers the engine already holds.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import paramiko

from edgegui.core.bundle import BundleReader, ImageEntry, opened
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
_LOAD = 'set -e; cd "$1"; tar -chf - . | docker load'


@dataclass
class TransferReport:
    bytes_sent: int = 0
    loaded: list[str] = field(default_factory=list)
    skipped_layers: int = 0
    pinned: dict[str, str] = field(default_factory=dict)  # reference -> image ID in the bundle


def device_architecture(client: docker.DockerClient) -> str:
    machine = str(client.info().get("Architecture", ""))
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
        for entry in missing:
            _load(transport, reader, entry, staging, chains)
            report.loaded.append(entry.refs[0])
        for name in blobs:
            transport.run(["rm", "-f", "--", f"{staging}/{name.rsplit('/', 1)[-1]}"])
    return report


def _load(
    transport: Transport, reader: BundleReader, entry: ImageEntry, staging: str, chains: set[str]
) -> None:
    """Build a ``docker save``-layout folder of symlinks to the blobs and ``docker load`` it."""
    folder = f"{staging}/load-{entry.image_id.removeprefix('sha256:')[:16]}"
    config_hex = entry.image_id.removeprefix("sha256:")
    layer_paths: list[str] = []
    links: list[str] = []
    for layer, chain in zip(entry.layers, chain_ids(x.diff_id for x in entry.layers), strict=True):
        path = f"{layer.diff_id.removeprefix('sha256:')}/layer.tar"
        layer_paths.append(path)
        if chain not in chains:  # the engine skips layers it holds; the archive leaves them out
            links.extend([path, f"../../{layer.digest.removeprefix('sha256:')}"])
    manifest = [
        {"Config": f"{config_hex}.json", "RepoTags": list(entry.refs), "Layers": layer_paths}
    ]
    files = {
        "manifest.json": json.dumps(manifest).encode(),
        f"{config_hex}.json": reader.read_blob(entry.config_blob),
    }
    transport.run(["rm", "-rf", "--", folder])
    for name, data in files.items():
        write = 'mkdir -p "$(dirname "$1")" && cat > "$1"'
        transport.run(["sh", "-c", write, "sh", f"{folder}/{name}"], stdin=data)
    for path, target in zip(links[::2], links[1::2], strict=True):
        link = 'mkdir -p "$(dirname "$1")" && ln -sf "$2" "$1"'
        transport.run(["sh", "-c", link, "sh", f"{folder}/{path}", target])
    result = transport.run(
        ["sh", "-c", with_engine_env(transport, _LOAD), "sh", folder], timeout=1800
    )
    transport.run(["rm", "-rf", "--", folder])
    if not result.ok:
        raise TransferError(
            f"{transport.describe()}: docker load refused {entry.refs[0]}: "
            f"{_last_line(result.stderr or result.stdout)}"
        )


def _last_line(data: bytes) -> str:
    lines = data.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else "no message"


def describe_image(client: docker.DockerClient, ref: str) -> dict[str, Any] | None:
    import docker.errors

    try:
        return dict(client.images.get(ref).attrs)
    except docker.errors.ImageNotFound:
        return None
