"""The health gate's logic on containers as the Engine API describes them (no engine)."""

from __future__ import annotations

from typing import Any

from edgegui.core.deploy.health import wait_until_healthy
from edgegui.core.deploy.spec import ServicePlan


class EngineContainer:
    """A container's inspect data, as docker-py's Container holds it after reload()."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.attrs = {"State": state}

    def reload(self) -> None:
        pass


def test_an_image_s_own_healthcheck_starting_is_not_an_error():
    # The image's Dockerfile HEALTHCHECK, none in the template: the engine says "starting".
    plan = ServicePlan("web", {}, "hash")
    container = EngineContainer({"Status": "running", "Health": {"Status": "starting"}})
    states, failure = wait_until_healthy(None, {"web": plan}, {"web": container}, timeout=1)  # type: ignore[arg-type]
    assert failure == ""
    assert (states["web"].state, states["web"].health) == ("running", "starting")
