"""``docker info`` of a deploy's engine, asked once per client.

A deploy needs the engine's architecture (to refuse a bundle for another one) and its
security options (seccomp, AppArmor); neither changes while a client lives, and each
``docker info`` is a round trip to the device.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

_infos: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def engine_info(client: Any) -> dict[str, Any]:
    with _lock:
        known = _infos.get(client)
    if known is None:
        known = dict(client.info())
        with _lock:
            _infos[client] = known
    return known
