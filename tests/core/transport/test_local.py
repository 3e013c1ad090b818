"""This computer as a device: real subprocesses, no shell."""

from pathlib import Path

import pytest

from edgegui.core.errors import CommandTimeout
from edgegui.core.events import Progress
from edgegui.core.transport.factory import open_transport
from tests.core.transport.corpus import INJECTION_CORPUS


@pytest.fixture
def local():
    transport = open_transport("local://")
    yield transport
    transport.close()


def test_exit_status_stdout_and_stderr(local):
    result = local.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (result.exit_status, result.stdout, result.stderr) == (3, b"out\n", b"err\n")


def test_streaming_and_stdin(local):
    chunks: list[bytes] = []
    result = local.run(["cat"], stdin=b"abc", on_output=chunks.append)
    assert result.stdout == b"abc" and b"".join(chunks) == b"abc"


def test_missing_program_is_exit_127(local):
    assert local.run(["/nonexistent/program"]).exit_status == 127


def test_timeout_kills_the_command(local):
    with pytest.raises(CommandTimeout, match="within 0.3 s"):
        local.run(["sleep", "30"], timeout=0.3)


@pytest.mark.parametrize("value", INJECTION_CORPUS)
def test_injection_corpus_is_literal(local, value, tmp_path):
    result = local.run(["printf", "%s", value])
    assert result.stdout.decode() == value


def test_put_and_get_file_with_progress(local, tmp_path: Path):
    source = tmp_path / "src.bin"
    source.write_bytes(b"x" * 600_000)
    events: list[Progress] = []
    local.put_file(source, str(tmp_path / "dst.bin"), mode=0o600, progress=events.append)
    assert (tmp_path / "dst.bin").read_bytes() == source.read_bytes()
    assert (tmp_path / "dst.bin").stat().st_mode & 0o777 == 0o600
    assert events[-1].done == events[-1].total == 600_000
    local.get_file(str(tmp_path / "dst.bin"), tmp_path / "back.bin")
    assert (tmp_path / "back.bin").read_bytes() == source.read_bytes()
