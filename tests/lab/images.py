"""Local test images: no registry is reachable, so images come from a busybox-static rootfs."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

BUSYBOX = Path("/bin/busybox")
APPLETS = ("sh", "sleep", "id", "cat", "echo", "ls", "printf", "touch", "wget", "nc", "httpd")


def busybox_rootfs_tar(dest: Path) -> Path:
    """A tar of a minimal root file system: busybox-static and its applet links."""
    root = dest.parent / (dest.name + ".root")
    (root / "bin").mkdir(parents=True, exist_ok=True)
    (root / "tmp").mkdir(exist_ok=True)
    (root / "tmp").chmod(0o1777)  # as on any system: a tmpfs on /tmp takes this mode
    shutil.copy2(BUSYBOX, root / "bin" / "busybox")
    for applet in APPLETS:
        link = root / "bin" / applet
        if not link.exists():
            link.symlink_to("busybox")
    with tarfile.open(dest, "w") as tar:
        tar.add(root, arcname=".")
    shutil.rmtree(root)
    return dest


def import_busybox_image(device: object, tag: str, command: str = '["/bin/sleep", "3600"]') -> None:
    """``docker import`` the rootfs into a lab device's engine as ``tag``."""
    state: Path = device.state  # type: ignore[attr-defined]
    archive = busybox_rootfs_tar(state / "busybox-rootfs.tar")
    device.exec(  # type: ignore[attr-defined]
        ["docker", "import", "--change", f"CMD {command}", str(archive), tag]
    )
