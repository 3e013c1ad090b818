"""Step 2: the parameter form, generated from the template's typed parameters.

Each field is checked as the technician types, by the same ``ParameterSpec.coerce`` the CLI
uses; the message under it says what is wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from edgegui.core.templates import ParameterSpec

ERROR_STYLE = "color: #d03030;"


class ParameterField(QWidget):
    """One parameter: its input widget, its help text and its live validation message."""

    changed = Signal()

    def __init__(self, spec: ParameterSpec) -> None:
        super().__init__()
        self.spec = spec
        self.input: QLineEdit | QComboBox | QCheckBox
        if spec.type == "bool":
            self.input = QCheckBox()
            self.input.setChecked(bool(spec.default))
            self.input.toggled.connect(self._validate)
        elif spec.values:
            self.input = QComboBox()
            self.input.addItems(list(spec.values))
            if spec.default is not None:
                self.input.setCurrentText(str(spec.default))
            self.input.currentTextChanged.connect(self._validate)
        else:
            self.input = QLineEdit()
            if spec.secret:
                self.input.setEchoMode(QLineEdit.EchoMode.Password)
                hint = "generated if left empty" if spec.generate else "required"
                self.input.setPlaceholderText(hint)
            elif spec.default is not None:
                self.input.setText(str(spec.default))
            elif spec.device_group:
                self.input.setPlaceholderText(f"read from the device ({spec.device_group})")
            elif spec.required:
                self.input.setPlaceholderText("required")
            self.input.textChanged.connect(self._validate)
        self.input.setObjectName(f"param_{spec.name}")
        self.input.setAccessibleName(spec.name)
        self.input.setAccessibleDescription(spec.help)
        self.input.setToolTip(spec.help)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        help_text = QLabel(spec.help)
        help_text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(self.input)
        layout.addWidget(help_text)
        layout.addWidget(self.message)
        self.error: str | None = None
        self._validate()

    def raw(self) -> Any:
        if isinstance(self.input, QCheckBox):
            return self.input.isChecked()
        if isinstance(self.input, QComboBox):
            return self.input.currentText()
        return self.input.text()

    def is_set(self) -> bool:
        """False when left empty for a parameter with a default or a generator."""
        raw = self.raw()
        optional = not self.spec.required or self.spec.device_group is not None
        return not (isinstance(raw, str) and raw == "" and optional)

    def set_value(self, value: Any) -> None:
        if isinstance(self.input, QCheckBox):
            self.input.setChecked(bool(value))
        elif isinstance(self.input, QComboBox):
            self.input.setCurrentText(str(value))
        else:
            self.input.setText(str(value))

    def _validate(self) -> None:
        self.error = None
        if self.is_set():
            try:
                self.spec.coerce(self.raw())
            except ValueError as exc:
                self.error = str(exc) if self.raw() != "" else "is required"
        self.message.setText(f"{self.spec.name} {self.error}" if self.error else "")
        self.message.setVisible(self.error is not None)
        self.changed.emit()


class ParameterForm(QWidget):
    """Signals: validity_changed(bool all_valid)."""

    validity_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, ParameterField] = {}
        self.inner = QWidget()
        self.form = QFormLayout(self.inner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields take focus, not the frame
        scroll.setWidget(self.inner)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Settings for this box.</b> Fields are checked as you type."))
        layout.addWidget(scroll, 1)

    def set_parameters(self, parameters: dict[str, ParameterSpec]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        for name, spec in parameters.items():
            field = ParameterField(spec)
            field.changed.connect(self._changed)
            self.fields[name] = field
            required = spec.required and not spec.device_group
            label = QLabel(name + (" *" if required else ""))
            label.setBuddy(field.input)
            self.form.addRow(label, field)
        self._changed()

    def valid(self) -> bool:
        return all(f.error is None for f in self.fields.values())

    def values(self) -> dict[str, Any]:
        """The values typed in; empty fields keep the template's default or generator."""
        return {name: f.raw() for name, f in self.fields.items() if f.is_set()}

    def _changed(self) -> None:
        self.validity_changed.emit(self.valid())
