"""The handover report: built from a live device, written as JSON or HTML here, and as PDF
by ``edgegui.report_pdf`` (Qt lays the PDF out; the core stays free of Qt).

Typical use::

    report = build_report(transport, stack="retail", technician="A. Tech")
    write_report(report, Path("gw-01.html"))
"""

from __future__ import annotations

import json
from pathlib import Path

from edgegui.core.errors import EdgeGUIError
from edgegui.core.report.build import build_report, scrub
from edgegui.core.report.html import render_html
from edgegui.core.report.html_writer import PrintLayout
from edgegui.core.report.model import HandoverReport

FORMATS = (".pdf", ".html", ".json")


class ReportError(EdgeGUIError):
    """The report cannot be written (unknown format, unwritable file)."""


def render_json(report: HandoverReport) -> str:
    return json.dumps(report.to_dict(), indent=2, sort_keys=True) + "\n"


def report_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".htm":
        suffix = ".html"
    if suffix not in FORMATS:
        raise ReportError(f"{path}: write a .pdf, .html or .json file")
    return suffix


def write_report(report: HandoverReport, path: Path) -> Path:
    """Write JSON or HTML (the format follows the suffix); PDF needs ``edgegui.report_pdf``."""
    fmt = report_format(path)
    if fmt == ".pdf":
        raise ReportError(f"{path}: PDF is written by edgegui.report_pdf (it needs Qt)")
    text = render_json(report) if fmt == ".json" else render_html(report)
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ReportError(f"{path}: cannot write the report: {exc.strerror}") from None
    return path


__all__ = [
    "FORMATS",
    "HandoverReport",
    "PrintLayout",
    "ReportError",
    "build_report",
    "render_html",
    "render_json",
    "report_format",
    "scrub",
    "write_report",
]
