"""Report logic on real captured engine output and on a built report: the hardening
checklist, dropped limits, rendering, secrets, and a long PDF's pages."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from edgegui.core.report import HandoverReport, render_html, render_json, scrub, write_report
from edgegui.core.report.hardening import container_report, engine_notes
from edgegui.core.report.model import AuditRow, CheckRow, HardwareItem, NamedValue, StackReport
from edgegui.report_pdf import write_pdf
from tests.core.report.pdfcheck import ink_outside_text_box, page_images, page_texts

FIXTURES = Path(__file__).resolve().parents[1] / "monitor" / "fixtures"
# An unhardened container as the lab engine reported it (see monitor/fixtures/SOURCES.md).
INSPECT = json.loads((FIXTURES / "inspect-running.json").read_text())
SECRET = "s3cr3t-" + "q" * 20


def test_an_unhardened_container_asks_for_attention_rule_by_rule():
    report = container_report(INSPECT, {"mem_limit": "256M", "cpus": 1.0, "pids_limit": 256})
    statuses = {item.rule: (item.status, item.value) for item in report.checklist}
    assert statuses["Read-only root filesystem"] == ("attention", "writable")
    assert statuses["Capabilities"] == ("attention", "engine defaults kept")
    assert statuses["Non-root user"] == ("attention", "root (image default)")
    assert statuses["Resource limits"] == (
        "attention",
        "memory unlimited, CPU unlimited, pids unlimited",
    )
    assert statuses["Restart policy"] == ("attention", "no")
    assert statuses["Own network"][0] == "ok"
    assert report.unenforced == [
        "memory limit 256M is not applied (the engine dropped it)",
        "CPU limit 1 is not applied (the engine dropped it)",
        "pids limit 256 is not applied (the engine dropped it)",
    ]


def test_a_written_waiver_is_shown_with_its_reason():
    inspect = copy.deepcopy(INSPECT)
    inspect["Config"]["Labels"]["io.edgegui.waiver.read_only"] = "the PLC driver writes /var/run"
    report = container_report(inspect, None)
    item = next(i for i in report.checklist if i.rule == "Read-only root filesystem")
    assert (item.status, item.waiver) == ("waived", "the PLC driver writes /var/run")
    assert report.waivers == [NamedValue("read_only", "the PLC driver writes /var/run")]


def test_engine_notes_read_docker_info_and_discovery_defensively():
    info = {
        "MemoryLimit": True,
        "CpuCfsQuota": False,
        "Warnings": ["WARNING: No swap limit support"],
    }
    notes = engine_notes(info, docker=object())  # a DockerInfo without the newer flags
    assert notes == [
        "The engine cannot enforce CPU limits (CFS quota) on this kernel "
        "(docker info: CpuCfsQuota false).",
        "WARNING: No swap limit support",
    ]

    class Discovered:
        pids_limit = False

    assert any("pids limits" in n for n in engine_notes({}, docker=Discovered()))


def long_report() -> HandoverReport:
    """Values the PDF must wrap (by-id paths, digests) and an audit table over pages."""
    by_id = "/dev/serial/by-id/usb-Silicon_Labs_CP2102N_USB_to_UART_Bridge_Controller_" + "9" * 30
    report = HandoverReport(
        target="ssh://tech@10.20.0.14",
        generated_at="2025-03-04 10:11:12",
        device_clock="2025-03-04 10:11:10",
        clock_offset_s=-2.0,
        technician="Robin Field",
        site="Line 3, hall B",
        customer="ACME Plastics",
        edgegui_version="0.1.0",
    )
    report.device.hostname = "gw-line3"
    report.hardware = [HardwareItem("Serial port", "CP2102N " * 6, "10c4:ea60", by_id, "9" * 40)]
    report.preflight = [
        CheckRow("disk-space", "fail", f"only 900 MiB free (token {SECRET})", "free " * 30)
    ]
    report.stacks = [
        StackReport(
            "industrial",
            "industrial",
            "1.0.0",
            compose_sha256="f" * 64,
            parameters=[NamedValue("DASHBOARD_ADMIN_PASSWORD", "set")],
        )
    ]
    report.audit.rows = [
        AuditRow(
            n,
            "2025-03-04 09:00:00",
            "robin@laptop",
            "10.20.0.14",
            "deploy",
            f"stack begin{n:02d} " + "word " * (n % 7 * 5) + f"last{n:02d}",
            "a" * 64,
            "laptop and device",
        )
        for n in range(70)
    ]
    return report


def test_a_secret_that_slipped_into_a_text_is_blanked_in_every_format(tmp_path: Path):
    report = scrub(long_report(), [SECRET])
    write_report(report, tmp_path / "r.json")
    write_report(report, tmp_path / "r.html")
    write_pdf(report, tmp_path / "r.pdf")
    for name in ("r.json", "r.html", "r.pdf"):
        assert SECRET.encode() not in (tmp_path / name).read_bytes()
    assert SECRET not in "".join(page_texts(tmp_path / "r.pdf"))
    assert "only 900 MiB free (token ***)" in render_json(report)


def test_json_reads_back_into_the_same_report():
    report = long_report()
    again = HandoverReport.from_dict(json.loads(render_json(report)))
    assert again == report
    assert render_html(again) == render_html(report)


def test_a_long_pdf_keeps_every_page_inside_its_box_and_rows_whole(tmp_path: Path):
    pdf = write_pdf(long_report(), tmp_path / "long.pdf")
    pages = page_images(pdf, tmp_path / "pages")
    assert len(pages) >= 3
    assert [p for image in pages for p in ink_outside_text_box(image)] == []
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    table_pages = set()
    for n in range(70):
        first = [i for i, t in enumerate(texts) if f"begin{n:02d}" in t]
        last = [i for i, t in enumerate(texts) if f"last{n:02d}" in t]
        assert len(first) == 1 and first == last, f"row {n} split over pages {first} {last}"
        table_pages.add(first[0])
    assert len(table_pages) >= 2
    for index in table_pages:
        assert "Time (UTC) Action Device Detail By" in texts[index].split("begin")[0]


def test_an_unknown_report_format_is_refused_before_anything_runs(tmp_path: Path):
    with pytest.raises(Exception, match=r"r\.docx: write a \.pdf, \.html or \.json file"):
        write_report(long_report(), tmp_path / "r.docx")


def test_limits_noted_at_render_or_deploy_are_listed_with_the_engine_s():
    from edgegui.core.report.facts import DeviceFacts
    from edgegui.core.report.stacks import stack_reports

    note = "cpus 0.5 of pos-service dropped: the engine has no CPU CFS quota (limit not enforced)"
    state = {"source": "template retail 1.0.0", "notes": [note], "parameters": {"A": "1"}}
    report = long_report()
    report.stacks = stack_reports(DeviceFacts(states={"retail": state}))
    assert report.stacks[0].notes == [note]
    limits = render_html(report).split("Limits the engine could not enforce")[1]
    assert note in limits.split("<h2")[0]
