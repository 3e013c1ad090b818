"""When each device was last looked at, so ``status`` reports only the events since then."""

from __future__ import annotations

import json
import os
from pathlib import Path


def default_last_look_path() -> Path:
    from platformdirs import user_state_path

    return user_state_path("edgegui", appauthor=False) / "last-look.json"


class LastLookStore:
    """A small JSON file: target -> device-clock epoch of the end of the last event window."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_last_look_path()

    def _load(self) -> dict[str, float]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no file yet, or damaged: every device starts with a fresh window
        if not isinstance(data, dict):
            return {}
        return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}

    def get(self, target: str) -> float | None:
        return self._load().get(target)

    def set(self, target: str, epoch: float) -> None:
        data = self._load()
        data[target] = epoch
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".part")
        partial.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, self.path)
