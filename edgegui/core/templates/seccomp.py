"""Named seccomp profiles (``resources/seccomp/NAME.json``) and AppArmor profile names.

Every service runs under the ``edge-default`` seccomp profile unless its template names
another built-in profile (``x-edgegui.seccomp``) or waives the rule ``seccomp`` with a reason,
which leaves the engine's own default profile in place. The rendered Compose file refers to
the profile as ``seccomp=./seccomp/NAME.json``, the file written beside it; the deploy step
sends the profile's JSON to the engine. Privileged services get no profile: Docker runs them
unconfined whatever security_opt says, so writing one would claim what does not happen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from edgegui.core.resources import resource_path

PROFILE_DIR = "seccomp"
DEFAULT_PROFILE = "edge-default"
DEFAULT_APPARMOR = "docker-default"
PROFILE_NAME = r"^[a-z][a-z0-9-]{0,39}$"
APPARMOR_NAME = r"^[a-z][a-z0-9_.-]{0,63}$"
_OPTION_RE = re.compile(r"^seccomp=\./" + PROFILE_DIR + r"/([a-z][a-z0-9-]{0,39})\.json$")


class UnknownProfile(ValueError):
    """No built-in seccomp profile has that name."""


def profile_names() -> list[str]:
    """Built-in profiles, by name."""
    folder = resource_path(PROFILE_DIR)
    return sorted(path.stem for path in folder.glob("*.json"))


@cache
def profile_text(name: str) -> str:
    """The JSON of built-in profile ``name``, checked to be a seccomp profile object."""
    if not re.match(PROFILE_NAME, name) or name not in profile_names():
        raise UnknownProfile(
            f"no seccomp profile named {name!r} (built-in: {', '.join(profile_names())})"
        )
    text = resource_path(PROFILE_DIR, f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict) or "defaultAction" not in data or "syscalls" not in data:
        raise UnknownProfile(f"{PROFILE_DIR}/{name}.json is not a seccomp profile")
    return text


def profile_option(name: str) -> str:
    """The Compose ``security_opt`` entry naming the profile file beside the Compose file."""
    return f"seccomp=./{PROFILE_DIR}/{name}.json"


def profile_in(options: Any) -> str | None:
    """The built-in profile a service's ``security_opt`` names, if any."""
    for option in options or ():
        match = _OPTION_RE.match(str(option))
        if match:
            return match.group(1)
    return None


def apply_seccomp(body: dict[str, Any], profile: str | None) -> None:
    """Set the profile of an already hardened service body (None: the engine's default)."""
    options = [o for o in body.get("security_opt", ()) if not str(o).startswith("seccomp=")]
    if profile is not None and body.get("privileged") is not True:
        options.append(profile_option(profile))
    if options:
        body["security_opt"] = options
    else:
        body.pop("security_opt", None)


def engine_options(options: Any, profiles: Mapping[str, str] | None = None) -> list[str]:
    """``security_opt`` for the Engine API: a profile file becomes the profile's compact JSON
    (the engine takes the JSON itself; only the docker CLI and Compose read files).
    ``profiles`` holds the texts a stack version was deployed with; others are built-in."""
    result = []
    for option in options or ():
        name = profile_in([option])
        if name is None:
            result.append(str(option))
            continue
        text = (profiles or {}).get(name) or profile_text(name)
        result.append("seccomp=" + json.dumps(json.loads(text), separators=(",", ":")))
    return result


def apply_apparmor(body: dict[str, Any], profile: str) -> None:
    """Confine a service with AppArmor ``profile``; only where the engine has AppArmor, or
    the container would claim a profile that nothing enforces."""
    if body.get("privileged") is True:
        return
    options = [o for o in body.get("security_opt", ()) if not str(o).startswith("apparmor=")]
    body["security_opt"] = [*options, f"apparmor={profile}"]
