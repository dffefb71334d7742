"""The real things the integration tests talk to: an SMTP server, subprocesses, polling.

Nothing here imports the project's code: the tests drive the project, these helpers only
start and watch what it talks to.
"""

import contextlib
import email
import email.policy
import logging
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import IO, Any, TypeVar

import pytest
from aiosmtpd.controller import Controller

T = TypeVar("T")

# Long enough for a worker to start and a few beat ticks to pass on a slow CI machine.
WAIT_SECONDS = 30.0
POLL_INTERVAL = 0.05


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    probe: Callable[[], T],
    *,
    what: str,
    details: Callable[[], str] = lambda: "",
    timeout: float = WAIT_SECONDS,
) -> T:
    """Poll `probe` until it returns something truthy; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"Waited {timeout:.0f} s for {what}, in vain.\n{details()}")
        time.sleep(POLL_INTERVAL)


# --- SMTP ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    """One SMTP transaction as the server saw it: the envelope and the raw message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def ticket_number(self) -> str:
        return str(self.message["X-Ticket-Number"])

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    def __str__(self) -> str:
        return f"to {list(self.rcpt_tos)}: {self.subject!r}"


class RecordingHandler:
    """An aiosmtpd handler that records every accepted message.

    With `refuse_first=N` it answers the first N DATA commands with a temporary failure
    (451 4.3.0), as a mail server does under load or greylisting, and records those too.
    """

    def __init__(self, *, refuse_first: int = 0) -> None:
        self.refuse_first = refuse_first
        self.accepted: list[ReceivedMail] = []
        self.refused: list[ReceivedMail] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = ReceivedMail(
            mail_from=envelope.mail_from,
            rcpt_tos=tuple(envelope.rcpt_tos),
            raw=envelope.original_content,
        )
        with self._lock:
            if len(self.refused) < self.refuse_first:
                self.refused.append(mail)
                return "451 4.3.0 try later"
            self.accepted.append(mail)
        return "250 2.0.0 OK"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: RecordingHandler

    def accepted(self, *, number: str | None = None, kind_label: str = "") -> list[ReceivedMail]:
        """Accepted messages; only one ticket's (`number`), with `kind_label` in the subject."""
        with self.handler._lock:
            mails = list(self.handler.accepted)
        return [
            mail
            for mail in mails
            if (number is None or mail.ticket_number == number) and kind_label in mail.subject
        ]

    def refused(self) -> list[ReceivedMail]:
        with self.handler._lock:
            return list(self.handler.refused)

    def transcript(self) -> str:
        lines = [f"SMTP server {self.host}:{self.port}"]
        lines += [f"  refused  {mail}" for mail in self.refused()]
        lines += [f"  accepted {mail}" for mail in self.accepted()]
        return "\n".join(lines)


def start_smtp_server(handler: RecordingHandler) -> tuple[SmtpServer, Controller]:
    # aiosmtpd logs every SMTP command at INFO: thousands of lines for a mail backlog, written
    # by the test process that also runs the server. The transcript above says what matters.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return SmtpServer(host="127.0.0.1", port=port, handler=handler), controller


# --- Subprocesses ------------------------------------------------------------------------


@dataclass
class ManagedProcess:
    """A subprocess in its own process group, its output appended to a log file.

    `stop` ends the whole group (celery may fork helpers): SIGTERM first for a clean, warm
    shutdown, SIGKILL if it does not exit in time. It may be started again after a stop.
    """

    name: str
    args: list[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    def start(self) -> None:
        assert not self.running, f"{self.name} is already running"
        self._log = self.log_path.open("ab")
        self._log.write(f"---- starting: {' '.join(self.args)}\n".encode())
        self._log.flush()
        # The arguments are this test module's own constants, never outside input.
        self.process = subprocess.Popen(  # noqa: S603
            self.args,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            self._signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(process, signal.SIGKILL)
                process.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None
        self.process = None

    @staticmethod
    def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 150) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def diagnostics(self) -> str:
        state = "running" if self.running else f"exited ({self.exit_code()})"
        return f"---- {self.name} ({state}), log {self.log_path}:\n{self.log_tail()}"

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def wait_for_log(self, pattern: str, *, count: int = 1, timeout: float = WAIT_SECONDS) -> None:
        """Wait until `pattern` (a regex) occurs `count` times in the log; fail if it exits."""
        regex = re.compile(pattern)

        def seen() -> bool:
            if self.process is not None and self.process.poll() is not None:
                pytest.fail(
                    f"{self.name} exited while waiting for {pattern!r}.\n" + self.diagnostics()
                )
            return len(regex.findall(self.log_text())) >= count

        wait_until(
            seen,
            what=f"{count} × {pattern!r} in the log of {self.name}",
            details=self.diagnostics,
            timeout=timeout,
        )

    def count_in_log(self, pattern: str) -> int:
        return len(re.findall(pattern, self.log_text()))


@dataclass
class CeleryStack:
    """A running worker and beat; the worker's log tells how many sweeps it finished."""

    worker: ManagedProcess
    beat: ManagedProcess

    SWEEP_DONE = r"Task tickets\.beat\.sweep\[[^\]]+\] succeeded"

    def sweeps_done(self) -> int:
        return self.worker.count_in_log(self.SWEEP_DONE)

    def wait_for_more_sweeps(self, count: int) -> None:
        """Wait until the worker has finished `count` more sweeps than so far."""
        self.worker.wait_for_log(self.SWEEP_DONE, count=self.sweeps_done() + count)
