"""A small QPainter line chart (QtCharts is not in PySide6-Essentials; no extra dependency)."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget


class Sparkline(QWidget):
    """The last ``capacity`` samples of one series, with its title and latest value."""

    def __init__(self, title: str, unit: str, colour: QColor, capacity: int = 120) -> None:
        super().__init__()
        self.title = title
        self.unit = unit
        self.colour = colour
        self.samples: deque[float] = deque(maxlen=capacity)
        self.ceiling: float | None = None  # fixed top of the scale (100 for percentages)
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(300, 120)

    def add(self, value: float) -> None:
        self.samples.append(value)
        self.update()

    def clear(self) -> None:
        self.samples.clear()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        metrics = painter.fontMetrics()
        latest = f"{self.samples[-1]:.1f} {self.unit}" if self.samples else "—"
        painter.setPen(palette.text().color())
        text_y = metrics.ascent() + 4
        painter.drawText(6, text_y, f"{self.title}: {latest}")
        top = text_y + 6
        plot_h = max(10, self.height() - top - 4)
        painter.setPen(QPen(palette.mid().color(), 1, Qt.PenStyle.DotLine))
        painter.drawLine(0, top, self.width(), top)
        painter.drawLine(0, top + plot_h, self.width(), top + plot_h)
        if len(self.samples) < 2:
            return
        high = self.ceiling or max(max(self.samples), 1e-9) * 1.15
        # Few samples spread over part of the width instead of a dot at the right edge.
        span = min(self.samples.maxlen or len(self.samples), max(len(self.samples), 30))
        step = self.width() / (span - 1)
        start = self.width() - step * (len(self.samples) - 1)
        points = QPolygonF(
            [
                QPointF(start + i * step, top + plot_h * (1 - min(v, high) / high))
                for i, v in enumerate(self.samples)
            ]
        )
        painter.setPen(QPen(self.colour, 2))
        painter.drawPolyline(points)
