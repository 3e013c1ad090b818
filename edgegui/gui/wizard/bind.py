"""Step 3: bind the template's hardware slots to devices found by discovery, by the names
people know them by ("Datalogic Gryphon, S/N 7B0F…"), with the stable path as detail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from edgegui.gui import services
from edgegui.gui.cards import breakable, wrapped
from edgegui.gui.icons import icon
from edgegui.gui.theme import set_tone

if TYPE_CHECKING:
    from edgegui.core.templates import SlotCandidate, SlotSpec

AUTOMATIC = "Automatic: the only match, if exactly one"
UNUSED = "Leave this optional slot empty"
TIP = Qt.ItemDataRole.ToolTipRole  # each candidate's stable path, shown under the chooser
SLOT_ICONS = {"serial_adapter": "cable", "barcode_scanner": "scan-barcode", "gpu": "microchip"}


def serial_numbers(inventory: dict[str, Any] | None) -> dict[str, str]:
    """Stable path -> serial number, for the devices discovery saw with one."""
    found: dict[str, str] = {}
    for section in ("serial_adapters", "input_devices"):
        for entry in (inventory or {}).get(section) or []:
            if entry.get("by_id") and entry.get("serial"):
                found[entry["by_id"]] = entry["serial"]
    return found


def human_name(candidate: SlotCandidate, serials: dict[str, str]) -> str:
    """``Datalogic Gryphon GD4500, S/N 7B0F12`` or ``NVIDIA RTX A2000, 6144 MiB``."""
    name = candidate.name
    serial = serials.get(candidate.stable_path or "")
    if serial:
        name += f", S/N {serial}"
    if candidate.memory_mib:
        name += f", {candidate.memory_mib} MiB"
    return name


def detail_of(candidate: SlotCandidate) -> str:
    if candidate.kind == "gpu":
        return f"GPU {candidate.vendor}:{candidate.gpu_id or 'all'}"
    if candidate.stable_path:
        return candidate.stable_path + (f" (now {candidate.node})" if candidate.node else "")
    return f"{candidate.node}: no stable by-id link — cannot be bound"


class BindStep(QWidget):
    """A chooser per slot listing the discovered devices that fit it."""

    def __init__(self) -> None:
        super().__init__()
        self.choosers: dict[str, QComboBox] = {}
        self.details: dict[str, QLabel] = {}
        self.note = wrapped("")
        self.inner = QWidget()
        self.form = QFormLayout(self.inner)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        heading = QLabel("<b>Hardware.</b> Choose which device fills each slot.")
        heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.note)
        layout.addWidget(self.inner)
        layout.addStretch(1)

    def set_slots(
        self,
        slots: dict[str, SlotSpec],
        choices: dict[str, list[SlotCandidate]],
        known: bool,
        inventory: dict[str, Any] | None = None,
    ) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.choosers, self.details = {}, {}
        self.note.setText(
            ""
            if known
            else "Discover the device's hardware first (Overview screen) to see "
            "what can fill these slots."
        )
        if not slots:
            self.note.setText("This template needs no particular hardware.")
        serials = serial_numbers(inventory)
        for name, spec in slots.items():
            chooser = QComboBox()
            chooser.setObjectName(f"slot_{name}")
            chooser.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            chooser.setMinimumContentsLength(30)
            chooser.addItem(UNUSED if spec.optional else AUTOMATIC, "")
            found = choices.get(name, [])
            for candidate in found:
                chooser.addItem(
                    icon(SLOT_ICONS.get(candidate.kind, "box")),
                    human_name(candidate, serials),
                    services.binding_value(candidate),
                )
                chooser.setItemData(chooser.count() - 1, detail_of(candidate), TIP)
            if len(found) == 1:
                chooser.setCurrentIndex(1)
            chooser.setToolTip(spec.help)
            title = f"{name} — {spec.help or spec.describe()}" + ("" if spec.optional else " *")
            label = QLabel(title)
            label.setBuddy(chooser)
            label.setWordWrap(True)
            detail = wrapped("", "muted", paths=True)
            detail.setObjectName(f"slotDetail_{name}")
            column = QVBoxLayout()
            column.addWidget(chooser)
            column.addWidget(detail)
            self.form.addRow(label, column)
            self.choosers[name] = chooser
            self.details[name] = detail
            chooser.currentIndexChanged.connect(lambda _=0, n=name: self._show_detail(n))
            self._show_detail(name)
            if known and not found and not spec.optional:
                detail.setText(
                    f"No {spec.describe()} found on the device: plug it in, then discover again."
                )
                set_tone(detail, "fail")

    def _show_detail(self, slot: str) -> None:
        chooser = self.choosers[slot]
        detail = str(chooser.itemData(chooser.currentIndex(), TIP) or "")
        self.details[slot].setText(breakable(detail))
        self.details[slot].setToolTip(detail)

    def choose(self, slot: str, text_part: str) -> None:
        """Select the candidate whose name or path contains ``text_part`` (keyboard, tests)."""
        chooser = self.choosers[slot]
        for index in range(chooser.count()):
            path = str(chooser.itemData(index) or "") + str(chooser.itemData(index, TIP) or "")
            if text_part in chooser.itemText(index) or text_part in path:
                chooser.setCurrentIndex(index)
                return
        raise KeyError(f"{slot}: no candidate matching {text_part!r}")

    def bindings(self) -> dict[str, str]:
        return {
            name: str(chooser.currentData())
            for name, chooser in self.choosers.items()
            if chooser.currentData()
        }
