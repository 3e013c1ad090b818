"""The bundled Lucide icons (resources/icons/lucide, ISC license), tinted when loaded.

Lucide draws with ``currentColor``; each icon is rendered in one colour chosen to read on
both the light and the dark theme, so a theme switch needs no reload.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon, QPixmap

from edgegui.core.resources import resource_path

ACCENT = "#3b82f6"
# Status colours that read on both themes (text uses the theme's own, see theme.TONES).
TONE_ICON_COLOURS = {
    "pass": "#2da44e",
    "warn": "#d29922",
    "fail": "#e5534b",
    "info": ACCENT,
    "muted": "#8b949e",
}
SIZES = (16, 32)  # Qt scales between them; each size rendered costs a millisecond or two


@cache
def _source(name: str) -> bytes:
    return resource_path("icons", "lucide", f"{name}.svg").read_bytes()


@cache
def icon(name: str, colour: str = ACCENT) -> QIcon:
    """Icon ``name`` (a file in resources/icons/lucide) in ``colour``, sharp at common sizes."""
    data = _source(name).replace(b"currentColor", colour.encode())
    made = QIcon()
    for size in SIZES:
        sized = data.replace(b'width="24" height="24"', f'width="{size}" height="{size}"'.encode())
        pixmap = QPixmap()
        pixmap.loadFromData(sized, "SVG")
        made.addPixmap(pixmap)
    return made


def tone_icon(name: str, tone: str) -> QIcon:
    return icon(name, TONE_ICON_COLOURS.get(tone, ACCENT))


def pixmap(name: str, size: int, colour: str = ACCENT) -> QPixmap:
    return icon(name, colour).pixmap(size, size)


STATUS_ICONS = {"pass": "circle-check", "warn": "triangle-alert", "fail": "circle-x"}


def status_icon(status: str) -> QIcon:
    """✓ green, ⚠ amber, ✗ red: preflight results, fit lines, checklist steps."""
    return tone_icon(STATUS_ICONS.get(status, "info"), status)
