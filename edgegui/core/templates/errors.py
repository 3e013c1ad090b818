"""Errors raised while loading and rendering templates; each is one line for the user."""

from __future__ import annotations

from edgegui.core.errors import EdgeGUIError


class TemplateError(EdgeGUIError):
    """A template file is invalid; the message starts with ``file:line:column``."""


class TemplateNotFound(TemplateError):
    """No template or add-on has this name."""


class ParameterError(EdgeGUIError):
    """A parameter value (``--set K=V``) is missing, unknown or invalid."""


class SlotError(EdgeGUIError):
    """A hardware slot cannot be bound: nothing matches, several match, or the path is unsafe."""


class RequirementError(EdgeGUIError):
    """The device does not meet the template's requirements (architecture, memory, disk)."""


class RenderError(EdgeGUIError):
    """The stack cannot be rendered with these values (e.g. a name used twice)."""
