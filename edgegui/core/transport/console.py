"""Shell-on-a-console logic shared by serial links: escape stripping, login, command framing.

Modelled on labgrid's ShellDriver/ShellStrategy: react to what the console shows rather than
sending a fixed sequence, and frame every command with a split random marker so the echo of
the command line can never be mistaken for its output.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from edgegui.core.errors import UnsafeArgument

# CSI, OSC and two-byte escapes (VT100/xterm), then stray carriage returns and bells.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
LOGIN_PROMPT = re.compile(rb"(?:^|[\s:])login:\s*$", re.IGNORECASE)
PASSWORD_PROMPT = re.compile(rb"password:\s*$", re.IGNORECASE)
LOGIN_INCORRECT = re.compile(rb"login incorrect|authentication failure", re.IGNORECASE)
SHELL_PROMPT = re.compile(rb"[$#%>]\s?$")
MAX_SCRIPT_LINE = 1000  # well under the tty's 4096-byte canonical line limit

# Sent once we have a shell: no echo, no prompts, no line editing, no history expansion.
# One per line so a shell that rejects an option still runs the others.
SHELL_SETUP = (
    " stty -echo -onlcr 2>/dev/null",
    " set +o emacs 2>/dev/null; set +o vi 2>/dev/null; set +H 2>/dev/null",
    " PS1=''; PS2=''; unset PROMPT_COMMAND; export TERM=dumb",
)


def strip_escapes(data: bytes) -> bytes:
    """Remove terminal escape sequences and carriage returns."""
    return _ESCAPES.sub(b"", data).replace(b"\r", b"").replace(b"\x07", b"")


def check_console_safe(text: str, what: str) -> None:
    """Refuse control characters: on a tty they are signals and line edits (^C, ^U, ^D…)."""
    for ch in text:
        if (ord(ch) < 0x20 and ch != "\n") or ord(ch) == 0x7F:
            raise UnsafeArgument(
                f"{what}: control character {ch!r} cannot be sent over a serial console"
            )


@dataclass(frozen=True)
class Frame:
    """One framed command: the text to send and the markers that delimit its output."""

    marker: str
    text: str

    @property
    def start(self) -> bytes:
        return self.marker.encode() + b"\n"

    @property
    def end(self) -> re.Pattern[bytes]:
        return re.compile(b"\n" + self.marker.encode() + rb" (\d+)\n")


def frame_command(command_line: str, heredoc: str | None = None) -> Frame:
    """Wrap a shell command line (and an optional here-document body) with split markers."""
    check_console_safe(command_line, "command")  # newlines inside quotes are fine: PS2 is ''
    marker = "EG" + secrets.token_hex(8)
    a, b = marker[:9], marker[9:]
    head = f" printf '%s%s\\n' '{a}' '{b}'; {command_line} 2>&1"
    tail = f" printf '\\n%s%s %s\\n' '{a}' '{b}' \"$?\""
    if heredoc is None:
        return Frame(marker, f"{head}; {tail.lstrip()}\n")
    delimiter = "EDGEGUI_EOF_" + secrets.token_hex(6)
    body = heredoc if heredoc.endswith("\n") else heredoc + "\n"
    return Frame(marker, f"{head} <<'{delimiter}'\n{body}{delimiter}\n{tail}\n")


def prepare_script(script: str) -> str:
    """Make a script safe to type into a console: tabs expanded, lines bounded, no controls."""
    script = script.expandtabs(4)
    check_console_safe(script, "script")
    for number, line in enumerate(script.splitlines(), 1):
        if len(line.encode()) > MAX_SCRIPT_LINE:
            raise UnsafeArgument(f"script line {number}: longer than {MAX_SCRIPT_LINE} bytes")
    return script


def parse_framed(frame: Frame, data: bytes) -> tuple[bytes, int] | None:
    """Output and exit status once the end marker arrived, else None."""
    start = data.find(frame.start)
    if start < 0:
        return None
    body_start = start + len(frame.start)
    match = frame.end.search(data, body_start)
    if match is None:
        return None
    return data[body_start : match.start()], int(match.group(1))
