"""The raw inventory as a tree: every section and field discovery found, one click away."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

SECTION_TITLES = {
    "system": "System",
    "network": "Network",
    "docker": "Docker Engine",
    "serial_adapters": "Serial adapters",
    "input_devices": "Input devices (scanners, keyboards)",
    "gpus": "GPUs",
    "usb_devices": "USB devices",
    "pci_devices": "PCI devices",
    "errors": "Incomplete sections",
}


def _label(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("name", "product", "description", "device", "path", "model", "interface"):
            if value.get(key):
                return str(value[key])
        return ""
    return "" if isinstance(value, list) else str(value)


def fill_tree(tree: QTreeWidget, data: dict[str, Any]) -> None:
    """Sections at the top; lists become numbered children; values in the second column."""
    tree.clear()

    def add(parent: QTreeWidgetItem, key: str, value: Any) -> None:
        item = QTreeWidgetItem(parent, [key, _label(value)])
        if isinstance(value, dict):
            for k, v in value.items():
                if v not in (None, "", [], {}):
                    add(item, str(k), v)
        elif isinstance(value, list):
            item.setText(1, f"{len(value)} found")
            for i, v in enumerate(value):
                add(item, str(i + 1), v)

    for section, title in SECTION_TITLES.items():
        value = data.get(section)
        if value in (None, {}, []) and section == "errors":
            continue
        top = QTreeWidgetItem(tree, [title, ""])
        top.setExpanded(section in ("system", "serial_adapters", "input_devices", "gpus"))
        if isinstance(value, list):
            top.setText(1, f"{len(value)} found")
            for i, v in enumerate(value):
                add(top, str(i + 1), v)
        elif isinstance(value, dict):
            for k, v in value.items():
                if v not in (None, "", [], {}):
                    add(top, str(k), v)
