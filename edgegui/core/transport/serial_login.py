"""Get from whatever a serial console shows to a shell we can frame commands in.

A small state machine after labgrid's ShellStrategy, with one rule above all: never type
while login is still judging the last answer, and type nothing but an Enter until a prompt
we recognise is on the screen. Shadow's ``/bin/login`` takes a stray Enter as an empty user
name, asks for its password and then sleeps ~3 s; anything typed meanwhile becomes the next
user name. So after each answer to login we wait for the next prompt, however long login
takes, and a shell probe is only ever typed at a shell prompt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from edgegui.core.errors import AuthenticationError, CommandTimeout
from edgegui.core.transport import console
from edgegui.core.transport.console_screen import (
    Screen,
    classify,
    classify_refused,
    last_line,
    looks_like_text,
    without_kernel_messages,
)
from edgegui.core.transport.seriallink import SerialLink

SETTLE_S = 0.3  # a screen is judged once the console has been quiet this long
KEY_PATIENCE_S = 1.5  # after a key (Enter, ^C, q), how long a prompt may take to appear
JUDGING_PATIENCE_S = 12.0  # after a user name or password: login may sleep (FAIL_DELAY)
SCREEN_KEEP = 4096  # bytes of screen kept for judging; a flood never grows memory
# Keys tried, in turn, when the console shows no prompt: Enter, ^C (a command such as
# cat), q (a pager or top), then Enter again to have the prompt printed.
WAKE_KEYS = (b"\n", b"\x03", b"q", b"\n")


@dataclass
class LoginOutcome:
    """How the shell was reached: logged in by us (log out on close) or found open."""

    logged_in: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class _Console:
    """The port plus everything seen on it during this login."""

    link: SerialLink
    screen: bytes = b""  # text since we last typed, escapes stripped
    received: int = 0
    raw_sample: bytearray = field(default_factory=bytearray)

    def type(self, data: bytes) -> None:
        self.screen = b""
        self.link.write(data)

    def listen(self, patience: float, deadline: float) -> Screen:
        """Read until a recognised screen has been quiet for SETTLE_S, or ``patience`` ends.

        Kernel messages do not count as activity: a printk storm must not keep us waiting.
        """
        until = min(time.monotonic() + patience, deadline)
        quiet_since = time.monotonic()
        meaningful = without_kernel_messages(self.screen)
        state = classify(self.screen)
        while True:
            now = time.monotonic()
            if now >= until:
                return state
            chunk = self.link.read(min(SETTLE_S, until - now))
            if chunk:
                self.received += len(chunk)
                if len(self.raw_sample) < SCREEN_KEEP:
                    self.raw_sample += chunk[: SCREEN_KEEP - len(self.raw_sample)]
                self.screen = (self.screen + console.strip_escapes(chunk))[-SCREEN_KEEP:]
                now_meaningful = without_kernel_messages(self.screen)
                if now_meaningful != meaningful:
                    meaningful, quiet_since = now_meaningful, time.monotonic()
                    state = classify(self.screen)
            if time.monotonic() - quiet_since >= SETTLE_S and state not in _UNSETTLED:
                return state


_UNSETTLED = (Screen.BLANK, Screen.OTHER, Screen.INCORRECT)


class ConsoleLogin:
    """Drive one console to a shell prompt, logging in with ``user``/``password`` if asked."""

    def __init__(
        self,
        link: SerialLink,
        where: str,
        user: str | None,
        password: str | None,
        timeout: float,
        shell_answers: Callable[[], bool],
    ) -> None:
        self.con = _Console(link)
        self.where = where
        self.user = user
        self.password = password
        self.timeout = timeout
        self._shell_answers = shell_answers  # frames `true` at a shell prompt and waits

    def run(self) -> LoginOutcome:
        started = time.monotonic()
        recognise_by = started + self.timeout  # nothing recognised by then: baud or cable
        deadline = started + 2 * self.timeout
        con = self.con
        sent_user = sent_password = False
        recognised = False
        wake = 0
        state = con.listen(SETTLE_S, deadline)  # what the console shows without a key
        while time.monotonic() < deadline:
            if state not in (Screen.BLANK, Screen.OTHER):
                recognised = True
            if sent_password and (
                state in (Screen.LOGIN, Screen.PASSWORD, Screen.INCORRECT)
                or classify_refused(con.screen)
            ):
                raise AuthenticationError(f"{self.where}: login incorrect for user {self.user!r}")
            if state is Screen.SHELL:
                if self._shell_answers():
                    return LoginOutcome(logged_in=sent_user)
                state = Screen.OTHER  # a prompt-like line that is not a shell
            elif state is Screen.LOGIN:
                self._type_user()
                sent_user, sent_password = True, False
                state = con.listen(JUDGING_PATIENCE_S, deadline)
                continue
            elif state is Screen.PASSWORD and sent_user and not sent_password:
                self._type_password()
                sent_password = True
                state = con.listen(JUDGING_PATIENCE_S, deadline)
                continue
            elif state is Screen.PASSWORD:
                # Not our user name: someone's half-typed login, or our Enter taken as an
                # empty name. An empty answer ends it; login then judges and re-prompts.
                con.type(b"\n")
                state = con.listen(JUDGING_PATIENCE_S, deadline)
                continue
            elif state is Screen.INCORRECT:
                state = con.listen(JUDGING_PATIENCE_S, deadline)  # the prompt follows
                continue
            elif state is Screen.ACTIVATE:
                con.type(b"\n")
                state = con.listen(KEY_PATIENCE_S, deadline)
                continue
            elif state is Screen.PAGER:
                con.type(b"q")
                state = con.listen(KEY_PATIENCE_S, deadline)
                if state in (Screen.BLANK, Screen.OTHER):
                    con.type(b"\n")
                    state = con.listen(KEY_PATIENCE_S, deadline)
                continue
            if not recognised and time.monotonic() >= recognise_by:
                break
            # No prompt on screen: press the next wake key (never while login judges: every
            # answer to login above waits for its own prompt before we get here).
            con.type(WAKE_KEYS[wake % len(WAKE_KEYS)])
            wake += 1
            patience = KEY_PATIENCE_S * (1 + min(wake // len(WAKE_KEYS), 3))
            state = con.listen(patience, deadline if recognised else recognise_by)
        raise self._no_prompt(time.monotonic() - started, recognised)

    def _type_user(self) -> None:
        if not self.user:
            raise AuthenticationError(f"{self.where}: the console asks for a login (--user)")
        console.check_console_safe(self.user, "user")
        self.con.type(self.user.encode() + b"\n")

    def _type_password(self) -> None:
        if self.password is None:
            raise AuthenticationError(
                f"{self.where}: the console asks for a password (--password-env VAR)"
            )
        console.check_console_safe(self.password, "password")
        self.con.type(self.password.encode() + b"\n")

    def _no_prompt(self, waited: float, recognised: bool) -> CommandTimeout:
        con = self.con
        if con.received == 0:
            detail = (
                "the line is silent: no answer to Enter (dead line, wrong port, "
                "device off, or a cable without RX/TX crossed)"
            )
        elif not looks_like_text(bytes(con.raw_sample)):
            detail = (
                f"received {_amount(con.received)} that are not text: wrong baud rate? "
                f"(this port is at {con.link.settings.baud} baud)"
            )
        elif recognised:
            detail = f"the console stopped answering; last line {last_line(con.screen)!r}"
        else:
            detail = (
                f"received {_amount(con.received)} of unrecognised data, last line "
                f"{last_line(con.screen)!r}; check the baud rate and cable"
            )
        return CommandTimeout(
            f"{self.where}: no login prompt or shell within {waited:.0f} s ({detail})"
        )


def _amount(count: int) -> str:
    if count >= 100_000:
        return f"{count / 1e6:.1f} MB"
    return f"{count} bytes"
