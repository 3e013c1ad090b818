"""Pure logic of the console driver: framing, escape stripping, refusals."""

import pytest

from edgegui.core.errors import UnsafeArgument
from edgegui.core.transport import console
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
    first, body, delimiter, tail = frame.text.split("\n")[:4]
    assert "<<'EDGEGUI_EOF_" in first and body == "echo hi" and delimiter in first
    assert frame.marker[:9] in tail


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


def test_login_prompt_patterns():
    assert console.LOGIN_PROMPT.search(b"Debian GNU/Linux 12 gw-01 ttyS0\n\ngw-01 login: ")
    assert console.PASSWORD_PROMPT.search(b"Password: ")
    assert console.SHELL_PROMPT.search(b"tech@gw-01:~$ ")
    assert not console.SHELL_PROMPT.search(b"[  12.345678] usb 1-1: new full-speed USB device")
