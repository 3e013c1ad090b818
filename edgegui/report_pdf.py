"""The handover report as a PDF, laid out by Qt (QTextDocument on a QPdfWriter): no browser,
no network. PySide6 is imported when a PDF is written, so the CLI starts without it.

Every page carries a running header (device, report time) and footer (page N of M).
Tables repeat their header row on each page they continue on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edgegui.core.report import HandoverReport, PrintLayout, ReportError, render_html

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter

PAGE_MM = (210.0, 297.0)  # A4
MARGIN_MM = {"left": 18.0, "right": 18.0, "top": 24.0, "bottom": 22.0}
RESOLUTION_DPI = 300
SMALL_TABLE_ROWS = 8  # tables this short are never split across pages


def mm_to_px(mm: float) -> float:
    return mm / 25.4 * RESOLUTION_DPI


def save_report(report: HandoverReport, path: Path) -> Path:
    """Write ``report`` in the format ``path``'s suffix names: PDF here, HTML or JSON by core."""
    from edgegui.core.report import report_format, write_report

    if report_format(path) == ".pdf":
        return write_pdf(report, path)
    return write_report(report, path)


def write_pdf(report: HandoverReport, path: Path) -> Path:
    """Write ``report`` as an A4 PDF at ``path`` (through a partial file, then renamed)."""
    _ensure_gui_application()
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

    partial = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(partial))
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(f"Handover report — {report.device.hostname or report.target}")
    writer.setCreator(f"EdgeGUI {report.edgegui_version}")
    width = mm_to_px(PAGE_MM[0] - MARGIN_MM["left"] - MARGIN_MM["right"])
    height = mm_to_px(PAGE_MM[1] - MARGIN_MM["top"] - MARGIN_MM["bottom"])
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDocumentMargin(0)
    paginate(document, report, QSizeF(width, height))
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise ReportError(f"{path}: cannot write the PDF (is the folder writable?)")
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            _furniture(painter, report, page + 1, pages)
            painter.save()
            painter.translate(
                mm_to_px(MARGIN_MM["left"]), mm_to_px(MARGIN_MM["top"]) - page * height
            )
            # Clip to the page's slice of the document; wide content is left visible so a
            # test of the margins would see it (it must never happen).
            clip = QRectF(-mm_to_px(MARGIN_MM["left"]), page * height, mm_to_px(PAGE_MM[0]), height)
            document.drawContents(painter, clip)
            painter.restore()
    finally:
        painter.end()
    try:
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ReportError(f"{path}: cannot write the report: {exc.strerror}") from None
    return path


def _furniture(painter: QPainter, report: HandoverReport, page: int, pages: int) -> None:
    """Running header and footer in the top and bottom margins."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QPen

    left = mm_to_px(MARGIN_MM["left"])
    right = mm_to_px(PAGE_MM[0] - MARGIN_MM["right"])
    font = QFont("DejaVu Sans")
    font.setPointSizeF(7.5)
    painter.setFont(font)
    painter.setPen(QPen(QColor("#5b6670")))
    top = QRectF(left, mm_to_px(12), right - left, mm_to_px(6))
    device = report.device.hostname or report.target
    where = " · ".join(p for p in (report.site, report.customer) if p)
    painter.drawText(
        top,
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        f"Handover report — {device}" + (f" — {where}" if where else ""),
    )
    painter.drawText(
        top,
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        f"{report.generated_at} UTC",
    )
    rule = QPen(QColor("#10304f"))
    rule.setWidthF(mm_to_px(0.25))
    painter.setPen(rule)
    line_y = mm_to_px(18.5)
    painter.drawLine(QPointF(left, line_y), QPointF(right, line_y))
    painter.setPen(QPen(QColor("#5b6670")))
    bottom = QRectF(left, mm_to_px(PAGE_MM[1] - 15), right - left, mm_to_px(6))
    painter.drawText(
        bottom,
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        f"EdgeGUI {report.edgegui_version} · {report.target}",
    )
    painter.drawText(
        bottom,
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        f"Page {page} of {pages}",
    )


def _ensure_gui_application() -> Any:
    """Qt needs an application object for fonts; the CLI makes an offscreen one. A
    QApplication, not the lighter QGuiApplication: whoever comes later in the same process
    (the GUI, pytest-qt) may need widgets, and Qt allows one application object."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QGuiApplication.instance()
    if app is None:
        if not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no display needed, none used
        app = QApplication(["edgegui"])
    return app


def paginate(document: Any, report: HandoverReport, page: Any, passes: int = 60) -> PrintLayout:
    """Lay the report out, then move down whatever would straddle two pages (Qt splits a
    table row line by line) and lay out again, until nothing does."""
    layout = PrintLayout(dpi=RESOLUTION_DPI)
    for _ in range(passes):
        document.setHtml(render_html(report, layout))
        document.setPageSize(page)
        if not _move_one_down(document, layout, page.height()):
            break
    return layout


def _move_one_down(document: Any, layout: PrintLayout, page_height: float) -> bool:
    """Add the first page break the layout needs; False when it needs none."""
    from PySide6.QtGui import QTextTable

    geometry = document.documentLayout()

    def page(y: float) -> int:
        return int(y // page_height)

    def straddles(top: float, bottom: float) -> bool:
        return page(top) != page(bottom - 1) and bottom - top < page_height

    found: list[tuple[float, str, Any]] = []
    tables = [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]
    for table, emitted in zip(tables, layout.emitted, strict=False):
        if emitted.rows <= SMALL_TABLE_ROWS and emitted.first_row == 0:
            span = _rows_span(geometry, table, 0, table.rows() - 1)
            if straddles(span.top(), span.bottom()):
                where = (
                    ("heading", emitted.heading)
                    if emitted.heading is not None
                    else ("table", (emitted.table, 0))
                )
                if where[1] not in (layout.heading_breaks | layout.table_breaks):
                    found.append((span.top(), *where))
            continue
        for row in range(emitted.header_rows, table.rows()):
            span = _rows_span(geometry, table, row, row)
            top, bottom = span.top(), span.bottom()
            if straddles(top, bottom):
                index = emitted.first_row + row - emitted.header_rows
                if index == 0 and emitted.heading is not None:
                    found.append((top, "heading", emitted.heading))
                elif (emitted.table, index) not in layout.table_breaks:
                    found.append((top, "table", (emitted.table, index)))
                break
    # A heading stays with the first row of the table it introduces, or with the next block.
    first_rows = {}
    for table, emitted in zip(tables, layout.emitted, strict=False):
        if emitted.heading is not None and table.rows() > emitted.header_rows:
            first_rows[emitted.heading] = table.cellAt(emitted.header_rows, 0)
    number, block = 0, document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel():
            cell = first_rows.get(number)
            following = cell.lastCursorPosition().block() if cell is not None else block.next()
            if following.isValid():
                top = geometry.blockBoundingRect(block).top()
                bottom = geometry.blockBoundingRect(following).bottom()
                if page(top) != page(bottom - 1) and number not in layout.heading_breaks:
                    found.append((top, "heading", number))
            number += 1
        block = block.next()
    if not found:
        return False
    _, kind, where = min(found, key=lambda item: item[0])
    if kind == "heading":
        layout.heading_breaks.add(where)
    else:
        layout.table_breaks.add(where)
    return True


def _rows_span(geometry: Any, table: Any, first: int, last: int) -> Any:
    """The rectangle the text of rows ``first``…``last`` covers (borders and margins aside)."""
    from PySide6.QtCore import QRectF

    top = min(
        geometry.blockBoundingRect(table.cellAt(first, c).firstCursorPosition().block()).top()
        for c in range(table.columns())
    )
    bottom = max(
        geometry.blockBoundingRect(table.cellAt(last, c).lastCursorPosition().block()).bottom()
        for c in range(table.columns())
    )
    return QRectF(0, top, 1, bottom - top)
