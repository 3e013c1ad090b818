"""Serial console driver: log in through a real login prompt, then run framed commands."""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from pathlib import Path

from edgegui.core.errors import CommandTimeout, LinkLost, TransportError
from edgegui.core.events import CancelToken, Progress, ProgressCallback
from edgegui.core.target import Target
from edgegui.core.transport import console
from edgegui.core.transport.base import CommandResult, OutputCallback, Transport, quote_argv
from edgegui.core.transport.factory import TransportOptions
from edgegui.core.transport.serial_login import ConsoleLogin
from edgegui.core.transport.seriallink import SerialLink, SerialSettings

MAX_OUTPUT = 32 * 1024 * 1024
UPLOAD_CHUNK = 768  # base64 characters per typed line, far below the tty line limit


class SerialTransport(Transport):
    """Commands over a serial console; stderr is merged into stdout (a console has one stream)."""

    scheme = "serial"

    def __init__(self, target: Target, options: TransportOptions | None = None) -> None:
        super().__init__(target)
        self.options = options or TransportOptions()
        self.settings = SerialSettings.from_target(target)
        self.link = SerialLink(self.settings)
        self._logged_in = False
        self._we_logged_in = False

    @property
    def user(self) -> str | None:
        return self.options.user or self.target.params.get("user")

    # -- life cycle --------------------------------------------------------
    def open(self, progress: ProgressCallback | None = None) -> None:
        if self.link.is_open and self._logged_in:
            return
        if progress:
            opening = f"opening {self.settings.path} at {self.settings.baud} baud"
            progress(Progress(task="connect", message=opening, unit="step"))
        self.link.open()
        self._logged_in = False
        if progress:
            progress(Progress(task="connect", message=f"logging in on {self.target}", unit="step"))
        try:
            outcome = ConsoleLogin(
                self.link,
                str(self.target),
                self.user,
                self.options.password,
                self.options.connect_timeout,
                self._shell_answers,
            ).run()
            self._we_logged_in = outcome.logged_in
            self._setup_shell()
        except BaseException:
            self.link.close()
            raise
        self._logged_in = True

    def close(self) -> None:
        """Leave the console as we found it: logged out if we logged in, else as it was."""
        if self.link.is_open and self._logged_in:
            try:
                self.link.write(b" exit\n" if self._we_logged_in else console.SHELL_RESTORE)
            except LinkLost:
                pass
        self.link.close()
        self._logged_in = False
        self._we_logged_in = False

    def _shell_answers(self) -> bool:
        try:
            self._exchange(console.frame_command("true"), timeout=3.0, what="shell check")
        except CommandTimeout:
            return False
        return True

    def _setup_shell(self) -> None:
        for line in console.SHELL_SETUP:
            self.link.write(line.encode() + b"\n")
        self.link.drain()
        self._exchange(console.frame_command("true"), timeout=10.0, what="shell setup")

    # -- commands ----------------------------------------------------------
    def _ensure_open(self) -> None:
        if not (self.link.is_open and self._logged_in):
            self.open()  # reopens after an unplugged adapter comes back

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 60.0,
        stdin: bytes | None = None,
        on_output: OutputCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> CommandResult:
        if stdin is not None:
            # A console has no separate stdin: only scripts fed to sh travel, as a here-document.
            if list(argv[:3]) != ["sh", "-s", "--"]:
                raise TransportError(f"{self.target}: standard input is not supported over serial")
            return self.run_script(stdin.decode(), argv[3:], timeout=timeout, on_output=on_output)
        line = quote_argv(argv)
        frame = console.frame_command(line)
        self._ensure_open()
        out, status = self._exchange(frame, timeout, argv[0], on_output, cancel)
        return CommandResult(tuple(argv), status, out)

    def run_script(
        self,
        script: str,
        args: Sequence[str] = (),
        *,
        timeout: float = 60.0,
        on_output: OutputCallback | None = None,
    ) -> CommandResult:
        body = console.prepare_script(script)
        argv = ["sh", "-s", "--", *args]
        frame = console.frame_command(quote_argv(argv), heredoc=body)
        self._ensure_open()
        out, status = self._exchange(frame, timeout, "script", on_output)
        return CommandResult(tuple(argv), status, out)

    def _exchange(
        self,
        frame: console.Frame,
        timeout: float,
        what: str,
        on_output: OutputCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> tuple[bytes, int]:
        """Send a framed command and collect its output, bounded in time and size."""
        try:
            self.link.write(frame.text.encode())
        except LinkLost:
            # Nothing reached the device: reopen (a replugged adapter) and send it again.
            self._logged_in = False
            self.open()
            self.link.write(frame.text.encode())
        data = bytearray()
        body_start = scanned = emitted = -1
        deadline = time.monotonic() + timeout
        while True:
            if cancel is not None and cancel.cancelled:
                self._interrupt()
                cancel.raise_if_cancelled()
            if time.monotonic() > deadline:
                self._interrupt()
                raise CommandTimeout(f"{self.target}: {what} did not finish within {timeout:g} s")
            chunk = self.link.read(0.2)
            if not chunk:
                continue
            data += console.strip_escapes(chunk)
            if len(data) > MAX_OUTPUT:
                self._interrupt()
                raise TransportError(f"{self.target}: {what} produced more than 32 MiB")
            if body_start < 0:
                found = data.find(frame.start)
                if found < 0:
                    continue
                body_start = scanned = emitted = found + len(frame.start)
            match = frame.end.search(data, max(body_start, scanned - len(frame.marker) - 32))
            scanned = len(data)
            # Stream the body, holding back a tail that could be the start of the end marker.
            safe = match.start() if match else len(data) - len(frame.marker) - 32
            if on_output and safe > emitted:
                on_output(bytes(data[emitted:safe]))
                emitted = safe
            if match:
                return bytes(data[body_start : match.start()]), int(match.group(1))

    def _interrupt(self) -> None:
        """Stop a runaway command with ^C and get the shell back."""
        try:
            self.link.write(b"\x03\n")
            self.link.drain(quiet=0.2, limit=2.0)
        except LinkLost:
            pass

    # -- files -------------------------------------------------------------
    def put_file(
        self,
        local: Path,
        remote: str,
        *,
        mode: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Type the file in base64 lines; slow, but the console may be the only link."""
        data = local.read_bytes()
        encoded = base64.b64encode(data).decode()
        partial = f"{remote}.edgegui-part"
        started = time.monotonic()
        self._checked(["rm", "-f", f"{partial}.b64"])
        step = UPLOAD_CHUNK * 8
        for offset in range(0, len(encoded), step):
            if cancel is not None:
                cancel.raise_if_cancelled()
            lines = [
                encoded[i : i + UPLOAD_CHUNK] for i in range(offset, offset + step, UPLOAD_CHUNK)
            ]
            body = "\n".join(line for line in lines if line) + "\n"
            frame = console.frame_command(f"cat >> {quote_argv([partial + '.b64'])}", heredoc=body)
            self._exchange(frame, 30.0, "upload")
            if progress:
                done = min(len(data), (offset + step) * 3 // 4)
                progress(Progress(f"upload {local.name}", done, len(data), started=started))
        octal = f"{mode if mode is not None else 0o644:o}"
        script = 'base64 -d "$1.b64" > "$1" && rm -f "$1.b64" && chmod "$3" "$1" && mv -f "$1" "$2"'
        self._checked(["sh", "-c", script, "sh", partial, remote, octal])

    def get_file(
        self,
        remote: str,
        local: Path,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        result = self._checked(["base64", remote], timeout=600.0)
        data = base64.b64decode(b"".join(result.stdout.split()))
        partial = local.with_name(local.name + ".part")
        partial.write_bytes(data)
        partial.replace(local)
        if progress:
            progress(Progress(f"download {Path(remote).name}", len(data), len(data)))

    def _checked(self, argv: list[str], timeout: float = 60.0) -> CommandResult:
        result = self.run(argv, timeout=timeout)
        if not result.ok:
            message = result.text.strip().splitlines()[-1:] or ["failed"]
            raise TransportError(f"{self.target}: {argv[0]}: {message[0]}")
        return result
