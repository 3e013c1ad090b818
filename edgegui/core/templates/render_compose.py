"""Docker Compose output: the normalised stack as written, with ``$`` made literal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from edgegui.core.templates.output import (
    CONFIGS_DIR,
    SECRETS_DIR,
    FormatOutput,
    escape_for_compose,
    header,
)
from edgegui.core.templates.seccomp import PROFILE_DIR
from edgegui.core.yamlload import dump_yaml

if TYPE_CHECKING:
    from edgegui.core.templates.rendered import RenderedStack


def files_needed(stack: RenderedStack, *, seccomp: bool = True) -> list[str]:
    """Config, secret (and seccomp profile) files the Compose and Swarm files refer to."""
    needs = [f"{CONFIGS_DIR}/{name}" for name in sorted(stack.config_files)]
    needs += [
        f"{SECRETS_DIR}/{name} (mode 0600, owner {owner})"
        for name, owner in stack.secret_owners.items()
    ]
    if seccomp:
        needs += [f"{PROFILE_DIR}/{name}.json (seccomp profile)" for name in stack.seccomp_profiles]
    return needs


def render_compose(stack: RenderedStack) -> FormatOutput:
    """A file for ``docker compose``; Compose expresses everything the templates use."""
    top = header(
        title="Docker Compose file",
        source=stack.source,
        usage="docker compose -f THIS_FILE up -d",
        waivers=stack.waivers,
        limitations=(),
        needs=files_needed(stack),
        notes=stack.notes,
    )
    return FormatOutput(top + dump_yaml(escape_for_compose(stack.compose)))
