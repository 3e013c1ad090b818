"""Diagnostics bundles: collected over SSH or serial, secrets redacted, opened offline."""

from edgegui.core.diagnose.bundle import DiagnosticsError, collect_diagnostics, open_diagnostics
from edgegui.core.diagnose.redact import Redactor, is_secret_name, secret_template_values

__all__ = [
    "DiagnosticsError",
    "Redactor",
    "collect_diagnostics",
    "is_secret_name",
    "open_diagnostics",
    "secret_template_values",
]
