"""Checks on a rendered PDF: every page as PNG (pdftoppm) and its text (pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from edgegui.report_pdf import MARGIN_MM, PAGE_MM


def need_poppler() -> None:
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.skip(
            "poppler-utils (pdftoppm, pdftotext) is not installed: scripts/system-deps test"
        )


def page_images(pdf: Path, out: Path, dpi: int = 60) -> list[Path]:
    need_poppler()
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def page_texts(pdf: Path) -> list[str]:
    need_poppler()
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def ink_outside_text_box(image_path: Path, slack_mm: float = 1.0) -> list[str]:
    """Where a page has ink in its left or right margin (nothing may be drawn there)."""
    image = QImage(str(image_path))
    per_mm = image.width() / PAGE_MM[0]
    left = int((MARGIN_MM["left"] - slack_mm) * per_mm)
    right = int((PAGE_MM[0] - MARGIN_MM["right"] + slack_mm) * per_mm)
    found = []
    for y in range(image.height()):
        for x in [*range(0, left), *range(right, image.width())]:
            if image.pixelColor(x, y).lightness() < 200:
                found.append(
                    f"{image_path.name}: ink at x={x / per_mm:.1f} mm y={y / per_mm:.1f} mm"
                )
                break
        if len(found) > 5:
            break
    return found


def save_page(pdf: Path, page: int, dest: Path, dpi: int = 100) -> None:
    """Page ``page`` (1-based) of ``pdf`` as the PNG ``dest``."""
    need_poppler()
    prefix = dest.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            "-png",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
