"""Device overview: the page after connecting — identity, hardware, preflight, stacks, alerts."""

from edgegui.gui.screens.overview.screen import OverviewScreen

__all__ = ["OverviewScreen"]
