"""Node labels from discovered hardware, and placement that follows a service's slots."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from edgegui.core.templates import render_stack
from edgegui.core.templates.node_labels import hardware_labels

FIXTURES = Path(__file__).parents[2] / "fixtures" / "templates"
TOKEN = {"CLOUD_API_TOKEN": "t" * 24, "SCANNER_GID": 104}


def inventory(name: str) -> dict:
    return json.loads((FIXTURES / f"inventory-{name}.json").read_text())


def test_a_gateway_is_labelled_with_its_scanner_and_adapter_families() -> None:
    labels = hardware_labels(inventory("gateway"))
    assert labels["edgegui.scanner"] == "true"
    assert labels["edgegui.serial"] == "true"
    assert any(k.startswith("edgegui.serial.") for k in labels)
    assert "edgegui.gpu" not in labels


def test_a_gpu_box_is_labelled_with_its_vendor() -> None:
    assert hardware_labels(inventory("gpu"))["edgegui.gpu"] == "nvidia"
    assert hardware_labels(inventory("jetson"))["edgegui.gpu"] == "jetson"


def test_the_scanner_service_is_placed_by_label_in_swarm_and_kubernetes() -> None:
    stack = render_stack("retail", TOKEN, inventory=inventory("gateway"))
    swarm = yaml.safe_load(stack.to_swarm_yaml())["services"]
    assert (
        "node.labels.edgegui.scanner == true"
        in swarm["pos-service"]["deploy"]["placement"]["constraints"]
    )
    assert "node.labels.edgegui" not in str(swarm["inventory-sync"].get("deploy"))
    pods = {
        doc["metadata"]["name"]: doc["spec"]["template"]["spec"]
        for doc in yaml.safe_load_all(stack.to_k8s_yaml())
        if doc and doc["kind"] == "Deployment"
    }
    assert pods["pos-service"]["nodeSelector"] == {"edgegui.scanner": "true"}
    assert "nodeSelector" not in pods["inventory-sync"]
