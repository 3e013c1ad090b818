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
MAX_SCRIPT_LINE = 1000  # well under the tty's 4096-byte canonical line limit

# Sent once we have a shell: no echo, no line editing, no history expansion, a plain prompt
# (so a shell left open by a crashed session answers an Enter visibly). What was there
# before is saved once, for SHELL_RESTORE, when we found the shell open rather than logging
# in ourselves.
SHELL_SETUP = (
    ' [ -n "${__eg_saved-}" ] || { __eg_saved=1; __eg_stty=$(stty -g 2>/dev/null);'
    " __eg_opts=$(set +o); __eg_ps1=${PS1-}; __eg_ps2=${PS2-}; __eg_term=${TERM-};"
    " __eg_pc=${PROMPT_COMMAND-}; }",
    " stty -echo -onlcr 2>/dev/null; set +H 2>/dev/null; PS1='edgegui$ '; PS2='';"
    " unset PROMPT_COMMAND; export TERM=dumb",
    # Each switch of line editing on a line of its own (see SHELL_RESTORE).
    " set +o vi 2>/dev/null",
    " set +o emacs 2>/dev/null",
)
# Line editing comes back last and on a line of its own: bash switches its input stream when
# ``set -o emacs`` runs, dropping the rest of that line (and, under ``2>/dev/null``, keeping
# stderr there for good, so no prompt would ever show again).
SHELL_RESTORE = (
    b' stty "$__eg_stty" 2>/dev/null; PS1=$__eg_ps1; PS2=$__eg_ps2; TERM=$__eg_term;'
    b' [ -z "$__eg_pc" ] || PROMPT_COMMAND=$__eg_pc;'
    b" eval \"$(printf '%s\\n' \"$__eg_opts\" | grep -v -e ' emacs$' -e ' vi$')\"\n"
    b' __eg_mode=; case $__eg_opts in *"-o emacs"*) __eg_mode=emacs;; *"-o vi"*)'
    b" __eg_mode=vi;; esac; unset __eg_saved __eg_stty __eg_opts __eg_ps1 __eg_ps2 __eg_term"
    b" __eg_pc\n"
    b' [ -z "$__eg_mode" ] || set -o $__eg_mode\n'
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
    # The end marker goes on the command's own line: a line after the delimiter would be a
    # second command, with the shell's prompt printed before it, inside the output.
    return Frame(marker, f"{head} <<'{delimiter}'; {tail.lstrip()}\n{body}{delimiter}\n")


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
