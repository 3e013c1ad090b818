"""What a serial console shows: a login or password prompt, a shell, a pager, or noise.

Pure logic (no port): the login strategy feeds it the text received since it last typed
something and acts on the answer. Kernel messages (printk lines) can land anywhere on a
console, even in the middle of a prompt line, so they are cut out before judging.
"""

from __future__ import annotations

import enum
import re

# "[  812.402113] usb 1-1.2: new full-speed USB device …" to the end of its line, with the
# line break before it (the lab, like some consoles, starts a message on a line of its own).
_PRINTK = re.compile(rb"\n?\[\s*\d+\.\d{3,}\] [^\n]*(?:\n|$)")
_LOGIN = re.compile(rb"(?:^|[\s:])(?:login|user ?name):\s*$", re.IGNORECASE)
_PASSWORD = re.compile(rb"password(?: for [^:\n]+)?:\s*$", re.IGNORECASE)
_INCORRECT = re.compile(rb"login incorrect|authentication failure", re.IGNORECASE)
_ACTIVATE = re.compile(rb"press enter to activate this console", re.IGNORECASE)
# less (":" or "(END)"), more ("--More--"), man, systemctl's pager.
_PAGER = re.compile(rb"(?:^:\s*$|\(END\)\s*$|--More--|^lines \d+-\d+)", re.IGNORECASE)
_SHELL = re.compile(rb"[$#%>]\s?$")
_TEXT_BYTES = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}


class Screen(enum.Enum):
    """What the last line of the console asks for."""

    LOGIN = "login prompt"
    PASSWORD = "password prompt"  # noqa: S105 - the name of a screen, not a secret
    INCORRECT = "login refused"
    ACTIVATE = "press Enter to activate"
    PAGER = "pager"
    SHELL = "shell prompt"
    BLANK = "nothing"
    OTHER = "unrecognised output"


def without_kernel_messages(text: bytes) -> bytes:
    """``text`` with printk lines removed (they interrupt prompts mid-line)."""
    return _PRINTK.sub(b"", text)


def classify(text: bytes) -> Screen:
    """Judge the screen from the text received since we last typed (escapes already gone)."""
    text = without_kernel_messages(text)
    lines = text.split(b"\n")
    last = lines[-1]
    if not last.strip() and len(lines) > 1 and _INCORRECT.search(text):
        return Screen.INCORRECT  # judged, the next prompt has not arrived yet
    if _LOGIN.search(last):
        return Screen.LOGIN
    if _PASSWORD.search(last):
        return Screen.PASSWORD
    if _ACTIVATE.search(text[-200:]):
        return Screen.ACTIVATE
    recent = b"\n".join(lines[-2:])
    if _PAGER.search(last) or _PAGER.search(recent.rstrip()):
        return Screen.PAGER
    if _SHELL.search(last):
        return Screen.SHELL
    if not text.strip():
        return Screen.BLANK
    return Screen.OTHER


def classify_refused(text: bytes) -> bool:
    """True if login said it refused the last user name and password."""
    return bool(_INCORRECT.search(without_kernel_messages(text)))


def looks_like_text(data: bytes) -> bool:
    """True if most bytes are printable ASCII (a wrong baud rate gives mostly other bytes)."""
    if not data:
        return True
    printable = sum(1 for byte in data if byte in _TEXT_BYTES)
    return printable >= 0.8 * len(data)


def last_line(text: bytes, limit: int = 60) -> str:
    """The last non-empty line, shortened, for an error message."""
    for line in reversed(without_kernel_messages(text).split(b"\n")):
        if line.strip():
            shown = line.strip().decode("ascii", "replace")
            return shown if len(shown) <= limit else shown[: limit - 1] + "…"
    return ""
