"""House rules that keep the layers apart."""

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "edgegui" / "core"


def test_core_imports_no_qt():
    modules = sorted(
        "edgegui." + ".".join(path.relative_to(CORE.parent).with_suffix("").parts)
        for path in CORE.rglob("*.py")
        if path.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'qasync', 'shiboken6'))]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
