"""The edgegui command: versions, exec, ports, and one-line errors."""

import json
import subprocess
import sys

import pytest

from edgegui import __version__

EDGEGUI = [sys.executable, "-m", "edgegui"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EDGEGUI, *args], capture_output=True, text=True, timeout=60)


def test_version():
    assert run("--version").stdout.strip() == f"edgegui {__version__}"


def test_exec_relays_output_and_exit_status():
    result = run("exec", "local://", "--", "sh", "-c", "echo out; echo err >&2; exit 3")
    assert (result.returncode, result.stdout, result.stderr) == (3, "out\n", "err\n")


def test_options_after_the_double_dash_belong_to_the_command():
    assert run("exec", "local://", "--", "echo", "--identity", "x").stdout == "--identity x\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("exec", "ssh://bad host", "--", "true"), "invalid host name"),
        (("exec", "ftp://x", "--", "true"), "unknown scheme"),
        (("exec", "local://"), "give the command after --"),
        (("exec", "ssh://tech@127.0.0.1:1", "--", "true"), "cannot connect"),
        (("exec", "serial:///dev/does-not-exist", "--", "true"), "no such port"),
        (("exec", "ssh://tech@127.0.0.1:1", "--password-env", "NOPE_UNSET", "--", "true"), "unset"),
    ],
)
def test_errors_are_one_line_without_traceback(args, message):
    result = run(*args)
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_debug_adds_the_traceback():
    result = run("--debug", "exec", "ftp://x", "--", "true")
    assert "Traceback" in result.stderr


def test_ports_json_is_a_list():
    result = run("ports", "--json")
    assert result.returncode == 0
    assert isinstance(json.loads(result.stdout), list)
