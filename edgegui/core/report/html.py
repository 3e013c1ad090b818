"""The report as one self-contained HTML document (no scripts, no external resources).

With a ``PrintLayout`` it is the variant the PDF writer lays out with Qt's rich text
engine (see ``html_writer``); without one it is the file a browser opens.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from edgegui.core.report.html_writer import NO_VALUE, HtmlWriter, PrintLayout, badge
from edgegui.core.report.model import CheckRow, ContainerReport, HandoverReport, StackReport

STYLE = """
body { font-family: 'DejaVu Sans', 'Segoe UI', Arial, sans-serif; font-size: 9pt;
       color: #1d2329; }
h1 { font-size: 20pt; font-weight: 600; margin-top: 0; margin-bottom: 2pt; color: #10304f; }
h2 { font-size: 13pt; font-weight: 600; color: #10304f; margin-top: 14pt;
     margin-bottom: 4pt; }
h3 { font-size: 10pt; font-weight: 600; margin-top: 10pt; margin-bottom: 3pt;
     color: #1d2329; }
p { margin-top: 2pt; margin-bottom: 4pt; }
ul { margin: 2pt 0 4pt 0; }
.kicker { font-size: 8pt; color: #5b6670; }
.subtitle { font-size: 11pt; color: #3b4650; margin: 0 0 6pt 0; }
table { border-collapse: collapse; margin: 2pt 0 6pt 0; }
th { background-color: #e8edf2; color: #10304f; font-weight: 600; text-align: left;
     font-size: 8pt; border-bottom: 1px solid #b9c4cf; }
td { vertical-align: top; border-bottom: 1px solid #dde3e9; }
.label { color: #4a5560; }
.mono { font-family: 'DejaVu Sans Mono', Consolas, monospace; font-size: 8pt; }
.badge { font-weight: 700; font-size: 7pt; }
.muted { color: #6b7680; }
.note { color: #8a5a00; }
"""
# Browsers only: Qt's rich text would apply these to the PDF too (it ignores @media).
SCREEN_STYLE = """
body { max-width: 62em; margin: 2em auto; padding: 0 1em; }
table { width: 100%; }
th, td { padding: 3pt 5pt; }
td, th { overflow-wrap: anywhere; }
h2 { border-bottom: 1px solid #10304f; }
@media print { h2, h3 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
"""


def render_html(report: HandoverReport, layout: PrintLayout | None = None) -> str:
    """The report as HTML; with ``layout``, the variant the PDF writer lays out."""
    w = HtmlWriter(layout)
    title = f"Handover report — {report.device.hostname or report.target}"
    style = STYLE if layout is not None else STYLE + SCREEN_STYLE
    w.add("<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">')
    w.add(f"<title>{html.escape(title)}</title><style>{style}</style></head><body>")
    _title_block(w, report)
    _device(w, report)
    _hardware(w, report)
    _checks(w, "Preflight checks", report.preflight, "Discovery's checks of the device.")
    for stack in report.stacks:
        _stack(w, stack)
    if not report.stacks:
        w.heading(2, "Stack")
        w.add("<p>No stack deployed by EdgeGUI runs on this device.</p>")
    _engine(w, report)
    _checks(w, "Health", report.health, "Each container as the engine reports it now.")
    _checks(w, "Peripheral checks", report.peripherals, "Run on the device for this report.")
    _audit(w, report)
    if report.problems:
        w.heading(2, "Not collected")
        w.add("<p>These parts could not be read from the device:</p><ul>")
        w.add(*(f"<li>{w.text(p)}</li>" for p in report.problems), "</ul>")
    _sign_off(w, report)
    w.add("</body></html>")
    return w.html()


def _title_block(w: HtmlWriter, report: HandoverReport) -> None:
    w.add('<p class="kicker">EDGEGUI · COMMISSIONING HANDOVER REPORT</p>')
    w.heading(1, w.text(report.device.hostname or report.target))
    where = " · ".join(p for p in (report.site, report.customer) if p)
    if where:
        w.add(f'<p class="subtitle">{w.text(where)}</p>')
    offset = ""
    if report.clock_offset_s is not None:
        seconds = round(report.clock_offset_s)
        offset = f" ({seconds:+d} s from the laptop's clock)" if seconds else " (as the laptop's)"
    w.pairs(
        [
            ("Technician", w.text(report.technician or "—")),
            ("Site", w.text(report.site or "—")),
            ("Customer", w.text(report.customer or "—")),
            ("Device", w.text(report.target, mono=True)),
            ("Report made", w.text(f"{report.generated_at} UTC, laptop clock")),
            ("Device clock", w.text(f"{report.device_clock or 'unknown'} UTC{offset}")),
            ("Stacks", w.text(", ".join(_stack_title(s) for s in report.stacks) or "none")),
            ("Checks", _counts([*report.preflight, *report.health, *report.peripherals])),
        ]
    )


def _counts(rows: Sequence[CheckRow]) -> str:
    parts = []
    for status, word in (("pass", "passed"), ("warn", "warnings"), ("fail", "failed")):
        number = sum(1 for r in rows if r.status == status)
        if number:
            parts.append(f"{badge(status)} {number} {word}")
    return " &nbsp; ".join(parts) or "no checks"


def _stack_title(stack: StackReport) -> str:
    version = f" {stack.version}" if stack.version else ""
    return f"{stack.name} (template {stack.template or 'unknown'}{version})"


def _device(w: HtmlWriter, report: HandoverReport) -> None:
    d = report.device
    w.heading(2, "Device")
    rows = [
        ("Host name", w.text(d.hostname)),
        ("Operating system", w.text(d.os)),
        ("Kernel", w.text(d.kernel)),
        ("Architecture", w.text(d.architecture)),
        ("Board", w.text(d.board or "—")),
        ("CPU", w.text(d.cpu)),
        ("Memory", w.text(d.memory)),
        ("Disk", w.text(d.disk)),
        ("Container engine", w.text(d.docker)),
    ]
    rows += [(s.name, w.text(s.value, mono=True)) for s in d.serial_numbers]
    if d.machine_id:
        rows.append(("Machine ID", w.text(d.machine_id, mono=True)))
    rows += [(f"MAC address ({m.name})", w.text(m.value, mono=True)) for m in d.mac_addresses]
    rows += [(f"Addresses ({a.name})", w.text(a.value, mono=True)) for a in d.addresses]
    w.pairs(rows)


def _hardware(w: HtmlWriter, report: HandoverReport) -> None:
    w.heading(2, "Hardware")
    if not report.hardware:
        w.add("<p>No USB, serial, GPU or accelerator hardware was found.</p>")
        return
    w.table(
        [("Kind", 13), ("Name", 25), ("Details", 19), ("Where", 27), ("Serial number", 16)],
        [
            (
                w.text(h.kind),
                w.text(h.name),
                w.text(h.detail),
                w.text(h.path, mono=True),
                w.text(h.serial, mono=True) if h.serial else NO_VALUE,
            )
            for h in report.hardware
        ],
    )


def _checks(w: HtmlWriter, title: str, rows: Sequence[CheckRow], intro: str) -> None:
    w.heading(2, html.escape(title))
    w.add(f'<p class="muted">{html.escape(intro)}</p>')
    if not rows:
        w.add("<p>Nothing to check.</p>")
        return
    _status_table(
        w,
        [("Check", 22), ("Result", 11), ("Finding", 42), ("How to fix", 25)],
        [(r.check, r.status, r.message, r.hint) for r in rows],
    )


def _status_table(
    w: HtmlWriter, headers: Sequence[tuple[str, int]], rows: Sequence[tuple[str, str, str, str]]
) -> None:
    """Subject, status badge, finding, and a note (a fix or a waiver) or a dash."""
    w.table(
        headers,
        [
            (w.text(subject), badge(status), w.text(finding), w.text(note) if note else NO_VALUE)
            for subject, status, finding, note in rows
        ],
    )


def _stack(w: HtmlWriter, stack: StackReport) -> None:
    w.heading(2, f"Stack {w.text(stack.name)}")
    w.pairs(
        [
            ("Template", w.text(f"{stack.template} {stack.version}".strip() or "unknown")),
            ("Rendered from", w.text(stack.source or "unknown")),
            ("Deployed", w.text(f"{stack.deployed_at} UTC" if stack.deployed_at else "unknown")),
            ("Compose file SHA-256", w.text(stack.compose_sha256 or "unknown", mono=True)),
        ]
    )
    for note in stack.notes:
        w.add(f'<p class="note">{w.text(note)}</p>')
    if stack.parameters:
        w.heading(3, "Parameters")
        w.table(
            [("Parameter", 35), ("Value", 65)],
            [(w.text(p.name, mono=True), w.text(p.value)) for p in stack.parameters],
        )
    if stack.images:
        w.heading(3, "Images")
        w.table(
            [("Service", 18), ("Image", 30), ("Image ID and registry digests", 52)],
            [
                (
                    w.text(i.service),
                    w.text(i.reference, mono=True),
                    "<br>".join(w.text(d, mono=True) for d in [i.image_id, *i.digests]),
                )
                for i in stack.images
            ],
        )
    for container in stack.containers:
        _container(w, container)


def _container(w: HtmlWriter, container: ContainerReport) -> None:
    w.heading(3, f"Container {w.text(container.name)}")
    w.add(
        f'<p class="muted">Image {w.text(container.image, mono=True)} · '
        f"{w.text(container.state)} · {w.text(container.health)}</p>"
    )
    _status_table(
        w,
        [("Hardening rule", 24), ("Result", 12), ("As the container runs", 34), ("Waiver", 30)],
        [(c.rule, c.status, c.value, c.waiver) for c in container.checklist],
    )
    for limit in container.unenforced:
        w.add(f'<p class="note">Not enforced: {w.text(limit)}</p>')


def _engine(w: HtmlWriter, report: HandoverReport) -> None:
    w.heading(2, "Limits the engine could not enforce")
    notes = list(report.engine_notes)
    notes += [f"{c.name}: {n}" for s in report.stacks for c in s.containers for n in c.unenforced]
    notes += [n for s in report.stacks for n in s.notes if "limit" in n.lower()]
    if not notes:
        w.add("<p>None: every memory, CPU and pids limit the stacks ask for is in force.</p>")
        return
    w.add("<ul>", *(f'<li class="note">{w.text(n)}</li>' for n in notes), "</ul>")


def _audit(w: HtmlWriter, report: HandoverReport) -> None:
    a = report.audit
    w.heading(2, "Audit trail")
    verdict = "intact" if a.chain_ok else "ALTERED: " + "; ".join(a.chain_problems[:5])
    w.pairs(
        [
            ("Laptop log head", w.text(_head(a.head_seq, a.head_hash), mono=a.head_seq > 0)),
            ("Laptop log chain", w.text(verdict)),
            ("Copy on the device", w.text(a.device_copy)),
        ]
    )
    if not a.rows:
        w.add("<p>No recorded action on this device yet.</p>")
        return
    if a.left_out:
        w.add(f'<p class="muted">{a.left_out} older entries are not shown.</p>')
    w.table(
        [("Time (UTC)", 14), ("Action", 14), ("Device", 16), ("Detail", 36), ("By", 20)],
        [
            (
                w.text(r.at),
                w.text(r.action),
                w.text(r.device, mono=True),
                w.text(r.summary),
                w.text(r.actor) + f'<br><span class="muted">{w.text(r.seen_in)}</span>',
            )
            for r in a.rows
        ],
    )


def _head(seq: int, digest: str) -> str:
    return f"#{seq} sha256:{digest}" if seq else "no entries yet"


def _sign_off(w: HtmlWriter, report: HandoverReport) -> None:
    w.heading(2, "Handover")
    w.add("<p>The device was commissioned as described in this report and handed over.</p>")
    space = "<br><br><br>"
    w.table(
        [("Technician", 50), ("Customer", 50)],
        [
            (w.text(report.technician or " "), w.text(report.customer or " ")),
            (
                f'<span class="label">Date and signature</span>{space}',
                f'<span class="label">Date and signature</span>{space}',
            ),
        ],
    )
