"""EdgeGUI: commission, deploy to and monitor edge-computing devices."""

__version__ = "0.1.0"
