"""The handover report of a lab device running the retail stack, from the CLI: JSON, HTML
and PDF, what they say, that no secret reaches them, and how the PDF's pages look."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from edgegui.cli.main import main
from edgegui.core.audit import record_action
from tests.core.report.conftest import STORE_ID, TOKEN, RetailSite, connection_args
from tests.core.report.pdfcheck import ink_outside_text_box, page_images, page_texts, save_page

pytestmark = [pytest.mark.lab, pytest.mark.slow]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def write_report(site: RetailSite, out: Path, *extra: str) -> None:
    args = ["report", site.device.ssh_target, "-o", str(out), *connection_args(site.device)]
    details = ["--technician", "Alex Tech", "--site", "Store 17", "--customer", "ACME Retail"]
    assert main([*args, *details, *extra]) == 0


def test_the_report_in_three_formats_says_what_runs(retail_site: RetailSite, tmp_path: Path):
    site = retail_site
    for suffix in ("json", "html", "pdf"):
        write_report(site, tmp_path / f"report.{suffix}", "--stack", "retail")
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["technician"] == "Alex Tech" and data["customer"] == "ACME Retail"
    assert data["device"]["hostname"] == site.device.name
    assert any(m["name"] == "eth0" for m in data["device"]["mac_addresses"])
    assert data["device_clock"] and data["generated_at"] and abs(data["clock_offset_s"]) < 120
    (stack,) = data["stacks"]
    assert (stack["template"], stack["version"]) == ("retail", "1.0.0")
    parameters = {p["name"]: p["value"] for p in stack["parameters"]}
    assert parameters["CLOUD_API_TOKEN"] == "set" and parameters["STORE_ID"] == STORE_ID
    compose = site.device.exec(
        ["cat", "/home/tech/.local/share/edgegui/stacks/retail/compose.yaml"]
    )
    assert stack["compose_sha256"] == hashlib.sha256(compose.encode()).hexdigest()
    assert {i["reference"] for i in stack["images"]} == {
        "edgegui/pos-service:latest",
        "edgegui/inventory-sync:latest",
    }
    assert all(i["image_id"].startswith("sha256:") for i in stack["images"])
    containers = {c["service"]: c for c in stack["containers"]}
    assert sorted(containers) == ["inventory-sync", "pos-service"]
    checklist = {i["rule"]: i for i in containers["pos-service"]["checklist"]}
    assert checklist["Read-only root filesystem"]["status"] == "ok"
    assert checklist["Capabilities"]["value"] == "all dropped"
    assert checklist["Non-root user"]["value"] == "65534:65534"
    assert checklist["Resource limits"]["value"] == "memory 256 MiB, CPU 1, pids 256"
    assert checklist["Log rotation"]["value"] == "json-file (max-file 3, max-size 10m)"
    assert [h["status"] for h in data["health"]] == ["pass", "pass"]
    scanner = next(p for p in data["peripherals"] if p["check"].startswith("Scanner"))
    assert scanner["status"] == "pass" and site.scanner in scanner["message"]
    gpu = next(p for p in data["peripherals"] if p["check"] == "GPU in a container")
    assert gpu["status"] == "info" and "No NVIDIA GPU" in gpu["message"]
    assert [c["status"] for c in data["preflight"]] and data["problems"] == []
    deploy = next(r for r in data["audit"]["rows"] if r["action"] == "deploy")
    assert deploy["seen_in"] == "laptop and device" and "stack retail" in deploy["summary"]
    assert data["audit"]["chain_ok"] and data["audit"]["head_seq"] >= 1
    page = (tmp_path / "report.html").read_text()
    assert "ACME Retail" in page and site.device.name in page and "Hardening rule" in page
    pdf_text = "\n".join(page_texts(tmp_path / "report.pdf"))
    assert "Handover report" in pdf_text and "Container retail-pos-service-1" in pdf_text
    for name in ("report.json", "report.html", "report.pdf"):
        assert TOKEN.encode() not in (tmp_path / name).read_bytes(), name
    assert TOKEN not in pdf_text


def test_a_scanner_the_container_cannot_read_fails_with_a_fix(retail_site, tmp_path):
    node = retail_site.device.exec(["readlink", "-f", retail_site.scanner]).strip()
    mode = retail_site.device.exec(["stat", "-c", "%a", node]).strip()
    retail_site.device.exec(["chmod", "600", node])
    try:
        write_report(retail_site, tmp_path / "report.json")
    finally:
        retail_site.device.exec(["chmod", mode, node])
    data = json.loads((tmp_path / "report.json").read_text())
    scanner = next(p for p in data["peripherals"] if p["check"].startswith("Scanner"))
    assert scanner["status"] == "fail" and "cannot read" in scanner["message"]
    assert scanner["hint"].startswith(f"set the template's group id to {retail_site.scanner_gid}")


def test_the_report_over_the_serial_console(retail_site, tmp_path, monkeypatch):
    """The console may be the only link on site: the same report, with the SSH-side history."""
    device = retail_site.device
    monkeypatch.setenv("PW", device.password)
    out = tmp_path / "serial.json"
    login = ["--user", "tech", "--password-env", "PW"]
    assert main(["report", device.serial_target, "-o", str(out), *login]) == 0
    data = json.loads(out.read_text())
    assert data["target"] == device.serial_target
    (stack,) = data["stacks"]
    assert sorted(c["service"] for c in stack["containers"]) == ["inventory-sync", "pos-service"]
    assert [h["status"] for h in data["health"]] == ["pass", "pass"]
    assert any(r["action"] == "deploy" and r["device"] == device.ip for r in data["audit"]["rows"])


def test_pdf_pages_keep_text_inside_and_split_tables_cleanly(retail_site, tmp_path):
    """A device with a long history: its audit table runs over several pages."""
    target = retail_site.device.ssh_target
    for n in range(40):
        record_action(
            "deploy",
            device=retail_site.device.ip,
            target=target,
            detail={"stack": f"row{n:02d}", "source": f"template retail 1.0.0 end{n:02d}"},
        )
    pdf = tmp_path / "report.pdf"
    write_report(retail_site, pdf)
    pages = page_images(pdf, tmp_path / "pages")
    assert len(pages) >= 4
    problems = [p for image in pages for p in ink_outside_text_box(image)]
    assert problems == []
    texts = page_texts(pdf)
    assert len(texts) == len(pages)
    pages_with_rows = set()
    for n in range(40):
        start = [i for i, text in enumerate(texts) if f"row{n:02d}" in text]
        end = [i for i, text in enumerate(texts) if f"end{n:02d}" in text]
        assert len(start) == 1 and start == end, f"audit row {n} is split: {start} {end}"
        pages_with_rows.add(start[0])
    assert len(pages_with_rows) >= 2  # the table really continues on another page
    for index in pages_with_rows:  # and each page of it starts with its header row
        before_rows = texts[index].split("row", 1)[0]
        assert "Time (UTC)" in before_rows and "Detail" in before_rows, index
    shown = (("13-report-pdf-first-page", 1), ("14-report-pdf-audit", min(pages_with_rows) + 1))
    for name, number in shown:
        save_page(pdf, number, SCREENSHOTS / f"{name}.png")


def test_deploy_rollback_and_remove_are_audited_here_and_on_the_device(
    retail_site: RetailSite, capsys
):
    """Last in this module: it changes and finally removes the stack."""
    from tests.core.report.conftest import deploy_retail_args

    device = retail_site.device
    assert main(deploy_retail_args(retail_site, store_id="store-018")) == 0
    assert main(["rollback", device.ssh_target, "--stack", "retail", *connection_args(device)]) == 0
    assert main(["remove", device.ssh_target, "--stack", "retail", *connection_args(device)]) == 0
    capsys.readouterr()
    assert main(["audit", "list", "--device", device.ssh_target, "--json"]) == 0
    entries = [
        e for e in json.loads(capsys.readouterr().out) if e["detail"].get("stack") == "retail"
    ]
    assert [e["action"] for e in entries][-4:] == ["deploy", "deploy", "rollback", "remove"]
    assert entries[-2]["detail"] == {
        "ok": True,
        "reason": "",
        "stack": "retail",
        "to": "template retail 1.0.0",
    }
    copy = device.exec(["cat", "/home/tech/.local/share/edgegui/audit.jsonl"])
    assert all(e["hash"] in copy for e in entries)
    assert main(["audit", "verify"]) == 0
