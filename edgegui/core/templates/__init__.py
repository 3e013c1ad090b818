"""Industry templates: typed parameters, hardware slots, hardening, and rendering to
Docker Compose, Docker Swarm and Kubernetes.

Typical use::

    stack = render_stack(load_template("industrial"), parse_set_values(["DEVICE_ID=gw-7"]),
                         bindings={"plc_port": "/dev/serial/by-id/usb-FTDI_…-if00-port0"})
    text = stack.to_compose_yaml()
"""

from edgegui.core.templates.errors import (
    ParameterError,
    RenderError,
    RequirementError,
    SlotError,
    TemplateError,
    TemplateNotFound,
)
from edgegui.core.templates.loader import (
    Template,
    TemplateEntry,
    list_templates,
    load_template,
    load_template_file,
    loaded_templates,
    user_dir,
)
from edgegui.core.templates.parameters import ParameterSpec, parse_set_values
from edgegui.core.templates.render import render_stack
from edgegui.core.templates.rendered import FORMATS, RenderedStack
from edgegui.core.templates.slots import (
    SlotBinding,
    SlotCandidate,
    SlotSpec,
    candidates_from_inventory,
    parse_bind_values,
    slot_choices,
)

__all__ = [
    "FORMATS",
    "ParameterError",
    "ParameterSpec",
    "RenderError",
    "RenderedStack",
    "RequirementError",
    "SlotBinding",
    "SlotCandidate",
    "SlotError",
    "SlotSpec",
    "Template",
    "TemplateEntry",
    "TemplateError",
    "TemplateNotFound",
    "candidates_from_inventory",
    "list_templates",
    "loaded_templates",
    "load_template",
    "load_template_file",
    "parse_bind_values",
    "parse_set_values",
    "render_stack",
    "slot_choices",
    "user_dir",
]
