"""Device CPU, memory, disk and temperature over the last minutes, drawn by pyqtgraph.

pyqtgraph (with numpy) takes about 0.4 s to import, so it loads when the Monitor screen is
first shown, not at start-up: numpy (0.15 s, no Qt) on a worker thread, then pyqtgraph on the
GUI thread (0.25 s, once), because it makes Qt objects as it loads, and Qt objects made on a
worker thread broke the window (actions deleted, timers on a dead dispatcher). Samples
gathered before are kept and drawn once the charts exist.
"""

from __future__ import annotations

import importlib
import time
from collections import deque
from typing import Any, NamedTuple

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from edgegui.gui.cards import wrapped
from edgegui.gui.services import DeviceSample
from edgegui.gui.theme import is_dark, tone_colour

HISTORY_S = 600  # ten minutes on screen
MAX_SAMPLES = 720


class Series(NamedTuple):
    key: str
    title: str
    unit: str
    colour: str
    ceiling: float | None


SERIES = (
    Series("cpu_percent", "CPU", "%", "#3b82f6", 100.0),
    Series("mem_percent", "Memory", "%", "#2da44e", 100.0),
    Series("disk_percent", "Disk /", "%", "#a371f7", 100.0),
    Series("temperature", "Temperature", "°C", "#e5534b", None),
)


def import_numpy() -> Any:
    """numpy, pyqtgraph's one dependency: safe on a worker thread (no Qt)."""
    return importlib.import_module("numpy")


def import_plotting() -> Any:
    """pyqtgraph, on the GUI thread (it makes Qt objects); it uses the running PySide6."""
    return importlib.import_module("pyqtgraph")


class DeviceCharts(QWidget):
    """Four small charts; ``add(sample)`` feeds them, before or after they exist."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("deviceCharts")
        self.samples: deque[tuple[float, DeviceSample]] = deque(maxlen=MAX_SAMPLES)
        self.plots: dict[str, Any] = {}
        self.curves: dict[str, Any] = {}
        self.values: dict[str, QLabel] = {}
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.waiting = wrapped("Loading the charts…", "muted")
        self.span = QLabel(f"<b>Device</b> — up to {HISTORY_S // 60} minutes; x axis: minutes ago")
        self.span.setObjectName("chartSpan")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.span)
        layout.addWidget(self.waiting)
        layout.addLayout(self.grid, 1)
        self.pg: Any = None

    @property
    def built(self) -> bool:
        return self.pg is not None

    def build(self, pg: Any) -> None:
        """Make the plots (GUI thread), once ``pg`` (pyqtgraph) is imported."""
        if self.built:
            return
        self.pg = pg
        pg.setConfigOptions(antialias=True)
        for index, series in enumerate(SERIES):
            title = QLabel(f"<b>{series.title}</b>")
            value = QLabel("—")
            value.setObjectName(f"chartValue_{series.key}")
            self.values[series.key] = value
            head = QHBoxLayout()
            head.setSpacing(8)
            head.addWidget(title)
            head.addWidget(value)
            head.addStretch(1)
            plot = pg.PlotWidget()
            plot.setObjectName(f"chart_{series.key}")
            plot.setAccessibleName(f"{series.title} over the last {HISTORY_S // 60} minutes")
            plot.setMinimumHeight(70)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.showGrid(x=False, y=True, alpha=0.2)
            plot.setXRange(-HISTORY_S / 60, 0, padding=0)
            plot.setYRange(0, series.ceiling or 90.0, padding=0.02)
            curve = plot.plot(
                pen=pg.mkPen(series.colour, width=2),
                symbol="o",
                symbolSize=4,
                symbolBrush=series.colour,
                symbolPen=None,
            )
            self.plots[series.key] = plot
            self.curves[series.key] = curve
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addLayout(head)
            cell.addWidget(plot, 1)
            self.grid.addLayout(cell, index // 2, index % 2)
        self.waiting.hide()
        self.restyle()
        self.redraw()

    def restyle(self) -> None:
        """Follow the theme (called on build and after a theme switch)."""
        if not self.built:
            return
        background = self.palette().base().color()
        axis = tone_colour("muted")
        for plot in self.plots.values():
            plot.setBackground(background)
            for side in ("left", "bottom"):
                plot.getAxis(side).setPen(axis)
                plot.getAxis(side).setTextPen(axis)
        self._dark = is_dark()

    def add(self, sample: DeviceSample, at: float | None = None) -> None:
        self.samples.append((at or time.monotonic(), sample))
        self.redraw()

    def clear(self) -> None:
        self.samples.clear()
        self.redraw()

    def redraw(self) -> None:
        if not self.built:
            return
        now = time.monotonic()
        # The x axis spans what there is, one minute at least, ten at most.
        oldest = self.samples[0][0] if self.samples else now
        span = min(HISTORY_S, max(60.0, now - oldest)) / 60
        for plot in self.plots.values():
            plot.setXRange(-span, 0, padding=0)
        for series in SERIES:
            points = [
                ((at - now) / 60, getattr(sample, series.key))
                for at, sample in self.samples
                if getattr(sample, series.key) is not None and now - at <= HISTORY_S
            ]
            xs = [x for x, _ in points]
            ys = [y for _, y in points]
            self.curves[series.key].setData(xs, ys)
            latest = ys[-1] if ys else None
            if series.key == "temperature" and not ys and self.samples:
                self.values[series.key].setText("no sensor")
            else:
                shown = "—" if latest is None else f"{latest:.0f} {series.unit}"
                self.values[series.key].setText(shown)
