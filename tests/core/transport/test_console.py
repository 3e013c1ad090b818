"""Pure logic of the console driver: framing, escape stripping, refusals."""

import pytest

from edgegui.core.errors import UnsafeArgument
from edgegui.core.transport import console
from edgegui.core.transport.console_screen import Screen, classify, last_line, looks_like_text
from tests.core.transport.corpus import CONTROL_CHARACTERS


def test_echo_of_the_command_line_never_matches_the_markers():
    frame = console.frame_command("printf %s hello")
    echoed = frame.text.encode()
    assert console.parse_framed(frame, echoed) is None
    output = echoed + frame.start + b"hello" + b"\n" + frame.marker.encode() + b" 0\n"
    assert console.parse_framed(frame, output) == (b"hello", 0)


def test_exit_status_and_empty_output():
    frame = console.frame_command("false")
    data = frame.start + b"\n" + frame.marker.encode() + b" 1\n"
    assert console.parse_framed(frame, data) == (b"", 1)


def test_heredoc_frame_has_random_delimiter_after_the_command():
    frame = console.frame_command("sh -s --", heredoc="echo hi")
    first, body, delimiter = frame.text.split("\n")[:3]
    assert "<<'EDGEGUI_EOF_" in first and body == "echo hi" and delimiter in first
    assert frame.marker[:9] in first.split(delimiter)[1]  # end marker on the command's line


def test_strip_escapes_removes_vt100_sequences():
    raw = b"\x1b[1;32muser@gw\x1b[0m:~$ \x1b]0;title\x07ok\r\n"
    assert console.strip_escapes(raw) == b"user@gw:~$ ok\n"


@pytest.mark.parametrize("value", CONTROL_CHARACTERS)
def test_control_characters_are_refused(value: str):
    with pytest.raises(UnsafeArgument, match="control character"):
        console.frame_command(f"printf %s {value}")


def test_script_lines_are_bounded_and_tabs_expanded():
    assert console.prepare_script("\techo hi\n") == "    echo hi\n"
    with pytest.raises(UnsafeArgument, match="line 2"):
        console.prepare_script("true\n" + "x" * 5000 + "\n")


def test_screens_a_console_can_show():
    assert classify(b"Debian GNU/Linux 12 gw-01 ttyS0\n\ngw-01 login: ") is Screen.LOGIN
    assert classify(b"\nUsername: ") is Screen.LOGIN  # some vendors' consoles
    assert classify(b"\nPassword: ") is Screen.PASSWORD
    assert classify(b"[sudo] password for tech: ") is Screen.PASSWORD
    assert classify(b"tech@gw-01:~$ ") is Screen.SHELL
    assert classify(b"root@OpenWrt:/# ") is Screen.SHELL
    assert classify(b"\nLogin incorrect\n") is Screen.INCORRECT
    assert classify(b"Please press Enter to activate this console.\n") is Screen.ACTIVATE
    assert classify(b"21\n22\n23\n:") is Screen.PAGER
    assert classify(b"(END)") is Screen.PAGER
    assert classify(b"\n\n") is Screen.BLANK
    assert classify(b"top - 15:12:54 up 23 min,  0 user,  load average: 1.20") is Screen.OTHER
    assert classify(b"Last login: Sun Nov 29 14:02:11 2026 on ttyS0\n") is Screen.OTHER


def test_kernel_messages_never_hide_a_prompt():
    noise = b"[  812.402113] usb 1-1.2: new full-speed USB device number 7 using xhci_hcd\n"
    assert classify(b"gw-01 login: " + noise) is Screen.LOGIN  # printed after the prompt
    assert classify(b"Password: \n" + noise) is Screen.PASSWORD  # or on a line of its own
    assert classify(b"tech@gw-01:~$ \n" + noise + noise) is Screen.SHELL
    assert classify(noise) is Screen.BLANK


def test_noise_is_told_from_text():
    assert looks_like_text(b"gw-01 login: ")
    assert not looks_like_text(bytes(range(0x80, 0x100)))
    assert last_line(b"one\ntwo\n\n") == "two"
