"""List the third-party software an EdgeGUI app bundles, with the license texts.

    .venv/bin/python installer/third_party.py               # rewrites installer/THIRD_PARTY.md
    .venv/bin/python installer/third_party.py --out DIR     # DIR/THIRD_PARTY.md + DIR/licenses/

Read from the installed distributions: the runtime requirements of the ``edgegui``
distribution, followed recursively (extras and other platforms' markers left out), plus the
Python runtime and PyInstaller's bootloader, which every frozen app carries. License files
come from each distribution's metadata; the few wheels that ship none get the text kept in
installer/licenses/.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import sysconfig
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

INSTALLER = Path(__file__).resolve().parent
FALLBACK_LICENSES = INSTALLER / "licenses"
# Wheels that carry no license file: their text is kept in installer/licenses/<folder>/.
FALLBACK = {
    "pyside6-essentials": "qt-for-python",
    "shiboken6": "qt-for-python",
    "pyserial": "pyserial",
}
LUCIDE_LICENSE = INSTALLER.parent / "resources" / "icons" / "lucide" / "LICENSE"
LICENSE_FILE = re.compile(r"^(licen[cs]e|copying|notice|authors|copyright)", re.IGNORECASE)


@dataclass
class Component:
    name: str
    version: str
    license: str
    url: str
    files: list[Path] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return re.sub(r"[^A-Za-z0-9._-]+", "-", self.name)


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed(name: str) -> metadata.Distribution:
    """The installed distribution ``name``; an .egg-info that an editable build left in a
    checkout on sys.path is passed over for the installed .dist-info (it has a RECORD)."""
    found = list(metadata.distributions(name=name))
    if not found:
        raise metadata.PackageNotFoundError(name)
    return next((d for d in found if d.read_text("RECORD") is not None), found[0])


def runtime_closure(root: str = "edgegui") -> list[metadata.Distribution]:
    """``root`` and every distribution it needs at run time on this platform."""
    environment = {k: str(v) for k, v in default_environment().items()}
    found: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = normalize(pending.pop())
        if name in found:
            continue
        dist = installed(name)
        found[name] = dist
        for line in dist.requires or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None or marker.evaluate({**environment, "extra": ""}):
                pending.append(requirement.name)
    return sorted(found.values(), key=lambda d: normalize(d.metadata["Name"]))


def license_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) < 80:
        return text
    classifiers = [
        c.rsplit("::", 1)[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    return " / ".join(classifiers) or "see license files"


def home_page(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    urls = dict(
        (label.strip().lower(), url.strip())
        for label, _, url in (u.partition(",") for u in meta.get_all("Project-URL") or [])
    )
    for key in ("homepage", "home", "source", "repository", "source code", "code", "github"):
        if key in urls:
            return urls[key]
    return str(meta.get("Home-page") or next(iter(urls.values()), ""))


def license_files(dist: metadata.Distribution) -> list[Path]:
    """License, notice and authors files in the distribution's metadata folder."""
    files = []
    for entry in dist.files or []:
        parts = entry.parts
        if not parts[0].endswith(".dist-info"):
            continue
        if "licenses" in parts[1:-1] or (len(parts) == 2 and LICENSE_FILE.match(parts[1])):
            files.append(Path(str(dist.locate_file(entry))))
    fallback = FALLBACK.get(normalize(dist.metadata["Name"]))
    if not files and fallback:
        files = sorted((FALLBACK_LICENSES / fallback).iterdir())
    return files


def python_component() -> Component:
    stdlib = Path(sysconfig.get_path("stdlib"))
    candidates = [stdlib / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt"]
    return Component(
        name="Python",
        version=".".join(map(str, sys.version_info[:3])),
        license="PSF-2.0",
        url="https://www.python.org/",
        files=[p for p in candidates if p.is_file()][:1],
    )


def pyinstaller_component() -> Component | None:
    try:
        dist = metadata.distribution("pyinstaller")
    except metadata.PackageNotFoundError:
        return None
    return Component(
        name="PyInstaller bootloader",
        version=dist.version,
        license="GPL-2.0-or-later WITH Bootloader-exception",
        url=home_page(dist),
        files=license_files(dist),
    )


def components(root: str = "edgegui") -> list[Component]:
    """``root`` first (its own license), then what it bundles."""
    listed = [
        Component(
            name=dist.metadata["Name"],
            version=dist.version,
            license=license_of(dist),
            url=home_page(dist),
            files=license_files(dist),
        )
        for dist in runtime_closure(root)
    ]
    listed.sort(key=lambda c: normalize(c.name) != root)
    extra = [python_component(), pyinstaller_component()]
    return listed + [c for c in extra if c is not None]


def markdown(items: list[Component]) -> str:
    lines = [
        "# Third-party software in EdgeGUI",
        "",
        "Generated by `installer/third_party.py` from the distributions installed where the",
        "app was built; an app bundle carries this file and every license text under",
        "`licenses/<name>/`. Qt's own third-party notices: <https://doc.qt.io/qt-6/licenses-used-in-qt.html>.",
        "",
        "| Name | Version | License | Home page |",
        "| --- | --- | --- | --- |",
    ]
    own, bundled = items[0], items[1:]
    for c in bundled:
        lines.append(f"| {c.name} | {c.version} | {c.license} | {c.url} |")
    lines += ["", f"{own.name} {own.version} itself: {own.license} (`licenses/{own.folder}/`)."]
    lines += [
        "",
        "Icons: a few SVGs of the Lucide icon set (<https://lucide.dev>), ISC License, in",
        "`edgegui/resources/icons/lucide/` with their `LICENSE` (`licenses/lucide-icons/`).",
    ]
    missing = [c.name for c in items if not c.files]
    if missing:
        lines += ["", f"No license text found for: {', '.join(missing)}."]
    return "\n".join(lines) + "\n"


def write(out: Path, items: list[Component]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "THIRD_PARTY.md").write_text(markdown(items), encoding="utf-8")
    licenses = out / "licenses"
    shutil.rmtree(licenses, ignore_errors=True)
    for c in items:
        for source in c.files:
            target = licenses / c.folder / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    icons = licenses / "lucide-icons"
    icons.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LUCIDE_LICENSE, icons / "LICENSE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write THIRD_PARTY.md and licenses/ here")
    args = parser.parse_args()
    items = components()
    if args.out:
        write(args.out, items)
        print(f"third_party: {len(items)} components, licenses in {args.out / 'licenses'}")
    else:
        (INSTALLER / "THIRD_PARTY.md").write_text(markdown(items), encoding="utf-8")
        print(f"third_party: {len(items)} components listed in {INSTALLER / 'THIRD_PARTY.md'}")
    missing = [c.name for c in items if not c.files]
    if missing:
        print(f"third_party: no license text for {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
