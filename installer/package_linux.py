"""Turn the frozen one-folder app into Linux packages: a .deb and a tarball.

    .venv/bin/python installer/package_linux.py APP_DIR OUT_DIR

APP_DIR is PyInstaller's output (``edgegui`` + ``_internal/``). Writes to OUT_DIR:

- ``edgegui_<version>_<arch>.deb``: the app in /opt/edgegui, a relative /usr/bin/edgegui
  link, a menu entry and icons under /usr/share; Depends computed by dpkg-shlibdeps from
  the libraries the bundle leaves to the system; no maintainer scripts, nothing added to
  the system Python.
- ``edgegui-<version>-linux-<arch>.tar.xz``: the same app with ``install.sh`` (no root
  needed: ~/.local) for laptops without dpkg; it also runs straight from the folder.

Before packing, the Debian copyright files of the system libraries PyInstaller copied into
the bundle are added to ``_internal/licenses/system/`` (listed in SYSTEM_LIBRARIES.md).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "installer" / "linux"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ELF_MAGIC = b"\x7fELF"
DESCRIPTION = """\
Commissioning tool for edge-computing devices
 EdgeGUI connects to edge boxes (industrial IoT gateways, point-of-sale boxes,
 telecom MEC sites, edge-AI boxes) over SSH, a USB serial console or locally,
 shows their hardware, renders an industry template into a Docker stack,
 deploys and verifies it, and monitors or diagnoses it later, with no internet
 on site. Desktop application and command line (edgegui --help).
 .
 Self-contained: its Python runtime, Qt and libraries live in /opt/edgegui."""


def run(*argv: str | Path, cwd: Path | None = None) -> str:
    """Run a tool; on failure stop with its name and the end of what it said."""
    result = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        said = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise SystemExit(f"package_linux: {argv[0]} failed ({result.returncode}):\n{said}")
    return result.stdout


def version_of() -> str:
    sys.path.insert(0, str(ROOT))
    from edgegui import __version__

    return __version__


def is_elf(path: Path) -> bool:
    if not path.is_file() or path.is_symlink():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == ELF_MAGIC


def elf_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if is_elf(p))


# -- licenses of bundled system libraries ---------------------------------------------------
def system_library_paths() -> dict[str, Path]:
    """soname -> path, from the dynamic linker's cache (this machine's architecture first)."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    paths: dict[str, Path] = {}
    for line in run("/sbin/ldconfig", "-p").splitlines():
        match = re.match(r"\s*(\S+) \([^)]*\) => (\S+)", line)
        if match and (match.group(1) not in paths or multiarch in match.group(2)):
            paths[match.group(1)] = Path(match.group(2))
    return paths


def owning_package(path: Path) -> str | None:
    """The Debian package that installed ``path`` (merged /usr tried both ways)."""
    real = path.resolve()
    for candidate in {str(path), str(real), re.sub(r"^/usr/lib/", "/lib/", str(real))}:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def add_system_library_notices(internal: Path) -> list[tuple[str, str, str]]:
    """Copy /usr/share/doc/<package>/copyright for each system library in the bundle."""
    known = system_library_paths()
    rows = []
    out = internal / "licenses" / "system"
    for lib in sorted(internal.glob("lib*.so*")):
        source = known.get(lib.name)
        package = owning_package(source) if source else None
        if not package:
            continue  # from a wheel or the Python build: listed in THIRD_PARTY.md
        version = run("dpkg-query", "-W", "-f=${Version}", package)
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        if copyright_file.is_file():
            (out / package).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(copyright_file, out / package / "copyright")
        rows.append((lib.name, package, version))
    lines = [
        "# System libraries in this bundle",
        "",
        "Copied by PyInstaller from the build machine; each package's Debian copyright file",
        "is in `system/<package>/copyright`.",
        "",
        "| Library | Debian package | Version |",
        "| --- | --- | --- |",
        *(f"| {lib} | {package} | {version} |" for lib, package, version in rows),
    ]
    (internal / "licenses").mkdir(exist_ok=True)
    (internal / "licenses" / "SYSTEM_LIBRARIES.md").write_text("\n".join(lines) + "\n")
    return rows


# -- .deb ------------------------------------------------------------------------------------
def copy_app(app: Path, target: Path) -> None:
    """Copy the app, normalizing modes: 0755 for folders and executables, 0644 otherwise."""
    shutil.copytree(app, target, symlinks=True)
    for path in [target, *target.rglob("*")]:
        if path.is_symlink():
            continue
        program = os.access(path, os.X_OK) and ".so" not in path.name  # Debian: libraries 0644
        path.chmod(0o755 if path.is_dir() or program else 0o644)


def install_desktop_files(share: Path) -> None:
    """The menu entry and the icon in every size, in the freedesktop layout under ``share``
    (install.sh points the tarball's copy of the entry at where it puts the app)."""
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LINUX / "edgegui.desktop", share / "applications" / "edgegui.desktop")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ICONS / "edgegui.svg", scalable / "edgegui.svg")
    for size in ICON_SIZES:
        folder = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ICONS / f"edgegui-{size}.png", folder / "edgegui.png")


def shlib_depends(scratch: Path, app: Path) -> str:
    """Depends of the bundle's ELF files on libraries outside it, as dpkg-shlibdeps says.

    ``scratch/debian/edgegui`` is the package tree holding ``app``: libraries found there
    (named by -l) are the package's own, and only the rest become dependencies.
    """
    files = elf_files(app)
    tree = scratch / "debian" / "edgegui"
    # -l folders are looked up inside the package tree, so they are given as installed.
    private = sorted({f"/{f.parent.relative_to(tree)}" for f in files if ".so" in f.name})
    (scratch / "debian" / "control").write_text(
        "Source: edgegui\n\nPackage: edgegui\nArchitecture: any\n"
    )
    # --warnings=0: Python C API symbols resolve against the bundled libpython at run time,
    # and unused links are Qt's; neither says anything about dependencies.
    out = run(
        "dpkg-shlibdeps", "-O", "--ignore-missing-info", "--warnings=0",
        *(f"-l{p}" for p in private), *files,
        cwd=scratch,
    )  # fmt: skip
    match = re.search(r"^shlibs:Depends=(.*)$", out, re.MULTILINE)
    if not match:
        raise SystemExit(f"package_linux: dpkg-shlibdeps printed no Depends:\n{out}")
    return ", ".join(_relax(d.strip()) for d in match.group(1).split(","))


# Packages with a shlibs file but no symbols file: dpkg-shlibdeps then demands the build
# machine's version. libX11-xcb's two functions have not changed since 1.6, and the pin
# (>= 1.8.4 on Debian 12) would refuse Ubuntu 22.04 for nothing.
UNVERSIONED = {"libx11-xcb1"}


def _relax(dependency: str) -> str:
    name = dependency.split(" ", 1)[0]
    return name if name in UNVERSIONED else dependency


def build_deb(app: Path, out: Path, version: str, arch: str, level: int) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "debian" / "edgegui"
        (root / "DEBIAN").mkdir(parents=True)
        copy_app(app, root / "opt" / "edgegui")
        (root / "usr" / "bin").mkdir(parents=True)
        (root / "usr" / "bin" / "edgegui").symlink_to("../../opt/edgegui/edgegui")
        share = root / "usr" / "share"
        install_desktop_files(share)
        doc = share / "doc" / "edgegui"
        doc.mkdir(parents=True)
        (doc / "copyright").write_text(
            "EdgeGUI is licensed under the Apache License 2.0: "
            "/usr/share/common-licenses/Apache-2.0 (also /opt/edgegui/_internal/licenses/).\n"
            "The third-party software bundled in /opt/edgegui and its license texts are listed "
            "in /opt/edgegui/_internal/licenses/THIRD_PARTY.md and SYSTEM_LIBRARIES.md.\n"
        )
        depends = shlib_depends(Path(scratch), root / "opt" / "edgegui")
        size_kib = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir()) // 1024
        control = (
            f"Package: edgegui\nVersion: {version}\nArchitecture: {arch}\n"
            "Maintainer: EdgeGUI developers <edgegui@example.org>\n"
            f"Installed-Size: {size_kib}\nDepends: {depends}\n"
            "Section: admin\nPriority: optional\n"
            f"Description: {DESCRIPTION}\n"
        )
        (root / "DEBIAN" / "control").write_text(control)
        target = out / f"edgegui_{version}_{arch}.deb"
        run("dpkg-deb", "--root-owner-group", "-Zxz", f"-z{level}", "--build", root, target)
    return target


# -- tarball ---------------------------------------------------------------------------------
def build_tarball(app: Path, out: Path, version: str, arch: str, level: int) -> Path:
    name = f"edgegui-{version}-linux-{arch}"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / name
        copy_app(app, folder)
        shutil.copyfile(LINUX / "install.sh", folder / "install.sh")
        (folder / "install.sh").chmod(0o755)
        install_desktop_files(folder / "share")
        target = out / f"{name}.tar.xz"
        run(
            "tar", "--create", "--file", target, "--use-compress-program", f"xz -T0 -{level}",
            "--sort=name", "--owner=0", "--group=0", "--numeric-owner",
            "-C", scratch, name,
        )  # fmt: skip
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", type=Path, help="PyInstaller's one-folder output")
    parser.add_argument("out", type=Path, help="folder for the .deb and the tarball")
    parser.add_argument(
        "--xz-level",
        type=int,
        choices=range(10),
        default=6,
        metavar="0-9",
        help="xz compression: 6 (default) for releases; 1 is 6x faster and 12%% larger (tests)",
    )
    args = parser.parse_args()
    if not (args.app / "edgegui").is_file() or not (args.app / "_internal").is_dir():
        parser.error(f"{args.app} is not a PyInstaller one-folder app (edgegui, _internal/)")
    args.out.mkdir(parents=True, exist_ok=True)
    version = version_of()
    arch = run("dpkg", "--print-architecture").strip()
    rows = add_system_library_notices(args.app / "_internal")
    print(f"package_linux: {len(rows)} system libraries bundled, their copyright files added")
    for built in (
        build_deb(args.app, args.out, version, arch, args.xz_level),
        build_tarball(args.app, args.out, version, arch, args.xz_level),
    ):
        print(f"package_linux: {built} ({built.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
