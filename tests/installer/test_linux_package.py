"""installer/build-linux end to end: the .deb's metadata and layout, and the frozen program
smoke-run from the unpacked package in a bare environment, offline where a network
namespace can be made: --version, templates, render, discover, the GUI (offscreen and on a
virtual X display) closed by --quit-after. The tarball's install.sh installs per user.

One build (--quick: faster xz) is shared by the tests of this module: about 75 s on a
2-core machine.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edgegui import __version__
from tests.installer.support import RENDER_ENV, check_discovered, check_rendered, render_retail_args

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def build_unavailable() -> str | None:
    if not sys.platform.startswith("linux"):
        return "the Linux packages are built on Linux"
    missing = [t for t in ("dpkg-deb", "dpkg-shlibdeps", "objdump", "xz") if not shutil.which(t)]
    if missing:
        return f"needs {', '.join(missing)} (scripts/system-deps installer, as root)"
    if importlib.util.find_spec("PyInstaller") is None:
        return "needs PyInstaller (scripts/bootstrap installs the installer extra)"
    return None


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = build_unavailable()
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("build-linux")
    result = subprocess.run(
        [str(ROOT / "installer" / "build-linux"), "--out", str(out), "--quick"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def deb(built: Path) -> Path:
    (package,) = built.glob("edgegui_*.deb")
    return package


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb's files, as dpkg would lay them out, under a temporary root."""
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def dpkg_deb(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], check=True, capture_output=True, text=True).stdout


def bare_run(
    program: Path, home: Path, *args: str, display: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed program as a fresh login would: no venv, no PYTHONPATH, HOME in a
    temporary folder, and with no network at all where a network namespace can be made."""
    home.mkdir(exist_ok=True)
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_RUNTIME_DIR": str(home),
    }
    if not display:
        environment["QT_QPA_PLATFORM"] = "offscreen"
    argv = [str(program), *args]
    if display:
        argv = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", *argv]
    if os.geteuid() == 0 and shutil.which("unshare"):
        argv = ["unshare", "--net", *argv]  # offline: only a loopback that is down
    home.chmod(0o700)
    return subprocess.run(
        argv, cwd=home, env=environment | (env or {}), capture_output=True, text=True, timeout=120
    )


def test_deb_metadata(deb: Path) -> None:
    info = dpkg_deb("--info", str(deb))
    fields = dict(re.findall(r"^ (\w[\w-]*): (.*)$", info, re.MULTILINE))
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True)
    assert fields["Package"] == "edgegui"
    assert fields["Version"] == __version__
    assert fields["Architecture"] == arch.stdout.strip()
    depends = [d.strip().split(" ")[0] for d in fields["Depends"].split(",")]
    assert {"libc6", "libstdc++6", "libfontconfig1", "libgl1", "libxcb1"} <= set(depends)
    assert not [d for d in depends if d.startswith("python")]  # nothing from the system Python
    installed = subprocess.run(["dpkg-query", "-W", *depends], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr  # real packages (the smoke runs use them)
    # The control archive holds the control file alone: no maintainer scripts run on install.
    members = re.findall(r"^\s+\d+ bytes,\s+\d+ lines\s+(\S+)", info, re.MULTILINE)
    assert members == ["control"]


def test_deb_layout(deb: Path) -> None:
    listing = dpkg_deb("--contents", str(deb)).splitlines()
    entries = {}
    for line in listing:
        mode, owner, _size, _date, _time, path, *link = line.split(maxsplit=6)
        entries[path.removeprefix(".")] = (mode, owner, link)
    assert {owner for _, owner, _ in entries.values()} == {"root/root"}
    assert entries["/opt/edgegui/edgegui"][0] == "-rwxr-xr-x"
    assert entries["/usr/bin/edgegui"][0].startswith("l")
    assert entries["/usr/bin/edgegui"][2] == ["-> ../../opt/edgegui/edgegui"]
    for wanted in (
        "/usr/share/applications/edgegui.desktop",
        "/usr/share/icons/hicolor/scalable/apps/edgegui.svg",
        "/usr/share/icons/hicolor/48x48/apps/edgegui.png",
        "/usr/share/icons/hicolor/256x256/apps/edgegui.png",
        "/usr/share/doc/edgegui/copyright",
        "/opt/edgegui/_internal/edgegui/resources/probe.sh",
        "/opt/edgegui/_internal/edgegui/resources/templates/retail.yaml",
        "/opt/edgegui/_internal/edgegui/resources/templates/addons/monitoring.yaml",
        "/opt/edgegui/_internal/edgegui/resources/daemon-profiles/edge.json",
        "/opt/edgegui/_internal/licenses/THIRD_PARTY.md",
        "/opt/edgegui/_internal/licenses/SYSTEM_LIBRARIES.md",
        "/opt/edgegui/_internal/licenses/licenses/PySide6_Essentials/LGPL-3.0.txt",
    ):
        assert wanted in entries, wanted
    allowed = ("/opt/edgegui", "/usr/bin/edgegui", "/usr/share/applications/", "/usr/share/icons/")
    strays = [
        path
        for path, (mode, _, _) in entries.items()
        if not mode.startswith("d") and not path.startswith((*allowed, "/usr/share/doc/edgegui/"))
    ]
    assert strays == []
    assert not [p for p in entries if re.search(r"/(site|dist)-packages/|/usr/lib/python", p)]


def test_menu_entry_is_valid(unpacked: Path) -> None:
    entry = unpacked / "usr" / "share" / "applications" / "edgegui.desktop"
    text = entry.read_text()
    assert "\nExec=edgegui\n" in text and "\nIcon=edgegui\n" in text
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_frozen_program_runs_the_cli_offline(unpacked: Path, tmp_path: Path) -> None:
    program = unpacked / "usr" / "bin" / "edgegui"
    home = tmp_path / "home"
    version = bare_run(program, home, "--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"edgegui {__version__}")

    listing = bare_run(program, home, "templates", "list")
    assert listing.returncode == 0, listing.stderr
    assert re.search(r"^retail\s+template\s+built-in", listing.stdout, re.MULTILINE)
    assert re.search(r"^monitoring\s+addon\s+built-in", listing.stdout, re.MULTILINE)

    output = home / "site" / "compose.yaml"
    rendered = bare_run(program, home, *render_retail_args(output), env=RENDER_ENV)
    check_rendered(rendered, output)
    check_discovered(bare_run(program, home, "discover", "local://", "--json"))


@pytest.mark.parametrize("display", [False, True], ids=["offscreen", "xvfb"])
def test_frozen_program_opens_the_window_and_quits(
    unpacked: Path, tmp_path: Path, display: bool
) -> None:
    if display and not shutil.which("xvfb-run"):
        pytest.skip("needs xvfb-run (scripts/system-deps gui)")
    program = unpacked / "usr" / "bin" / "edgegui"
    home = tmp_path / "home"
    result = bare_run(program, home, "gui", "--quit-after", "1", display=display)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr
    assert (home / "data" / "edgegui" / "edgegui.sqlite3").exists()  # the window's store


def test_tarball_installs_for_one_user_and_uninstalls(built: Path, tmp_path: Path) -> None:
    (tarball,) = built.glob("edgegui-*-linux-*.tar.xz")
    subprocess.run(["tar", "-xf", str(tarball), "-C", str(tmp_path)], check=True)
    (folder,) = tmp_path.glob("edgegui-*")
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    install = subprocess.run(
        [str(folder / "install.sh"), "--user"], env=env, capture_output=True, text=True
    )
    assert install.returncode == 0, install.stderr
    app = home / ".local" / "opt" / "edgegui" / "edgegui"
    entry = (home / ".local" / "share" / "applications" / "edgegui.desktop").read_text()
    assert f"\nExec={app}\n" in entry
    assert (
        home / ".local" / "share" / "icons" / "hicolor" / "64x64" / "apps" / "edgegui.png"
    ).is_file()
    version = bare_run(home / ".local" / "bin" / "edgegui", tmp_path / "run", "--version")
    assert version.stdout.strip() == f"edgegui {__version__}"

    removed = subprocess.run(
        [str(app.parent / "install.sh"), "--uninstall", "--user"], env=env, capture_output=True
    )
    assert removed.returncode == 0
    assert not app.parent.exists()
    assert not (home / ".local" / "bin" / "edgegui").exists()
