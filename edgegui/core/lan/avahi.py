"""Commissioned devices announce themselves: an avahi service file for ``_edgegui._tcp``.

Where the device runs avahi (``/etc/avahi/services`` exists), deploy drops
``edgegui.service`` there (directly or with ``sudo -n``) and avahi-daemon picks it up by
itself; ``edgegui lan browse`` then lists the device with its stack. Where it cannot, the
caller is told why in one line and nothing else changes.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from edgegui.core.transport.base import Transport

SERVICES_DIR = "/etc/avahi/services"
SERVICE_FILE = f"{SERVICES_DIR}/edgegui.service"
SERVICE_TYPE = "_edgegui._tcp"
_TXT_SAFE = re.compile(r"[^A-Za-z0-9 ._:@/+-]")
# Written as the login user if it may, else through sudo without a password prompt.
_WRITE = """\
[ -d "$1" ] || exit 3
if [ -w "$1" ]; then cat > "$2.tmp" && mv -f "$2.tmp" "$2" && exit 0; exit 4; fi
sudo -n sh -c 'cat > "$1.tmp" && chmod 644 "$1.tmp" && mv -f "$1.tmp" "$1"' sh "$2" \
  2>/dev/null || exit 4
"""


def service_xml(stack: str, source: str, port: int = 22) -> str:
    """The avahi service group: the SSH port, with the stack and template as TXT records."""
    records = {"stack": stack, "template": source, "by": "edgegui"}
    txt = "".join(
        f"    <txt-record>{escape(key)}={escape(_TXT_SAFE.sub('', value)[:200])}</txt-record>\n"
        for key, value in records.items()
    )
    return (
        '<?xml version="1.0" standalone="no"?>\n'
        '<!DOCTYPE service-group SYSTEM "avahi-service.dtd">\n'
        "<service-group>\n"
        '  <name replace-wildcards="yes">EdgeGUI %h</name>\n'
        "  <service>\n"
        f"    <type>{SERVICE_TYPE}</type>\n"
        f"    <port>{int(port)}</port>\n"
        f"{txt}"
        "  </service>\n"
        "</service-group>\n"
    )


def advertise_device(transport: Transport, stack: str, source: str) -> str | None:
    """Drop the service file; returns None when done, else one line saying why not."""
    port = getattr(transport.target, "port", None) or 22
    text = service_xml(stack, source, port)
    result = transport.run(
        ["sh", "-c", _WRITE, "sh", SERVICES_DIR, SERVICE_FILE], stdin=text.encode()
    )
    where = transport.describe()
    if result.exit_status == 3:
        return (
            f"{where}: no avahi ({SERVICES_DIR} is missing): it does not advertise {SERVICE_TYPE}"
        )
    if not result.ok:
        return (
            f"{where}: cannot write {SERVICE_FILE} (not writable and sudo asks for a password): "
            f"it does not advertise {SERVICE_TYPE}"
        )
    return None
