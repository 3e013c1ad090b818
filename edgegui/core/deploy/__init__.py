"""Transactional deploy of rendered stacks to a device's Docker Engine, over its own link.

Typical use::

    result = deploy_stack(transport, render_stack("industrial", ...), stack="industrial",
                          bundle=Path("site.edgebundle"))
    if not result.ok:
        print(result.reason, "(rolled back)" if result.rolled_back else "")
"""

from edgegui.core.deploy.errors import (
    ArchitectureMismatch,
    DeployError,
    NothingToRollBack,
    TransferError,
)
from edgegui.core.deploy.result import DeployResult, ServiceState
from edgegui.core.deploy.stack import current_compose, deploy_stack, remove_stack, rollback_stack

__all__ = [
    "ArchitectureMismatch",
    "DeployError",
    "DeployResult",
    "NothingToRollBack",
    "ServiceState",
    "TransferError",
    "current_compose",
    "deploy_stack",
    "remove_stack",
    "rollback_stack",
]
