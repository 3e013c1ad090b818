"""Hand-off to an orchestrator that already exists: Docker Swarm formed from commissioned
devices, or the device's own K3s. Nodes are labelled from discovered hardware
(``edgegui.scanner=true``…) and stacks are placed by those labels.

Typical use::

    nodes = form_swarm([SwarmMember(name, transport), …])  # init on the first, join the rest
    placed = deploy_swarm_stack(nodes[0], rendered, stack="retail")  # the manager deploys
"""
