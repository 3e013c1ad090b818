"""Step 3: bind the template's hardware slots to devices found by discovery."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from edgegui.gui import services

if TYPE_CHECKING:
    from edgegui.core.templates import SlotCandidate, SlotSpec

AUTOMATIC = "(automatic: the only match, if exactly one)"
UNUSED = "(leave this optional slot empty)"


class BindStep(QWidget):
    """A chooser per slot listing the discovered devices that fit it."""

    def __init__(self) -> None:
        super().__init__()
        self.choosers: dict[str, QComboBox] = {}
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.inner = QWidget()
        self.form = QFormLayout(self.inner)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Hardware.</b> Choose which device fills each slot."))
        layout.addWidget(self.note)
        layout.addWidget(self.inner)
        layout.addStretch(1)

    def set_slots(
        self, slots: dict[str, SlotSpec], choices: dict[str, list[SlotCandidate]], known: bool
    ) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.choosers = {}
        self.note.setText(
            ""
            if known
            else "Discover the device's hardware first (Hardware screen) to see "
            "what can fill these slots."
        )
        if not slots:
            self.note.setText("This template needs no particular hardware.")
        for name, spec in slots.items():
            chooser = QComboBox()
            chooser.setObjectName(f"slot_{name}")
            # Long by-id paths must not widen the window: elide, full text in the popup.
            chooser.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            chooser.setMinimumContentsLength(40)
            chooser.addItem(UNUSED if spec.optional else AUTOMATIC, "")
            for candidate in choices.get(name, []):
                chooser.addItem(candidate.label(), services.binding_value(candidate))
            if len(choices.get(name, [])) == 1:
                chooser.setCurrentIndex(1)
            chooser.setToolTip(spec.help)
            label = QLabel(f"{name} — {spec.describe()}" + ("" if spec.optional else " *"))
            label.setBuddy(chooser)
            label.setWordWrap(True)
            self.form.addRow(label, chooser)
            self.choosers[name] = chooser

    def choose(self, slot: str, text_part: str) -> None:
        """Select the candidate whose label contains ``text_part`` (keyboard users, tests)."""
        chooser = self.choosers[slot]
        for index in range(chooser.count()):
            if text_part in chooser.itemText(index):
                chooser.setCurrentIndex(index)
                return
        raise KeyError(f"{slot}: no candidate matching {text_part!r}")

    def bindings(self) -> dict[str, str]:
        return {
            name: str(chooser.currentData())
            for name, chooser in self.choosers.items()
            if chooser.currentData()
        }
