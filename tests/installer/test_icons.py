"""The app icon: the SVG source and the PNG, ICO and ICNS files made from it by
installer/make_icons.py, each holding the sizes its platform asks for."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer

from tests.installer.support import load_script

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
make_icons = load_script("make_icons")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_svg_source_renders(qapp) -> None:
    renderer = QSvgRenderer(str(ICONS / "edgegui.svg"))
    assert renderer.isValid()
    assert renderer.viewBox().width() == renderer.viewBox().height()


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_each_png_size_is_there(qapp, size: int) -> None:
    image = QImage(str(ICONS / f"edgegui-{size}.png"))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_the_ico_holds_the_windows_sizes() -> None:
    data = (ICONS / "edgegui.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        assert png_size(data[offset : offset + length])[0] == (width or 256)
        sizes.append(width or 256)
    assert sizes == sorted(make_icons.ICO_SIZES)


def test_the_icns_holds_the_macos_sizes() -> None:
    data = (ICONS / "edgegui.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    found, offset = {}, 8
    while offset < len(data):
        kind, length = (
            data[offset : offset + 4],
            struct.unpack(">I", data[offset + 4 : offset + 8])[0],
        )
        found[kind] = png_size(data[offset + 8 : offset + length])[0]
        offset += length
    assert found == {kind: size for kind, size in make_icons.ICNS_TYPES}
    assert found[b"ic10"] == 1024
