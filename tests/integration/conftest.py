"""Fixtures that start the real things: SMTP server, Redis, Celery worker and beat.

Every process is stopped by its fixture's finalizer; its log is kept in the test's tmp_path
and attached to the report of a failing test, with the SMTP server's transcript.
"""

import os
import shutil
import sys
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection

from helpdesk.celery import app as celery_app
from tests.integration.support import (
    CeleryStack,
    ManagedProcess,
    RecordingHandler,
    SmtpServer,
    free_port,
    start_smtp_server,
    wait_until,
)

BASE_DIR = Path(django_settings.BASE_DIR)
VENV_BIN = Path(sys.executable).parent
# A database of its own on the shared Redis, emptied around each test.
SHARED_REDIS_DB = 12

DIAGNOSTICS = pytest.StashKey[list[tuple[str, Callable[[], str]]]]()


def add_diagnostics(node: pytest.Item, title: str, report: Callable[[], str]) -> None:
    """Show `report()` under `title` when the test fails."""
    node.stash.setdefault(DIAGNOSTICS, []).append((title, report))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.failed and call.when in ("setup", "call"):
        for title, describe in item.stash.get(DIAGNOSTICS, []):
            try:
                text = describe()
            except Exception as exc:  # a broken report must not hide the failure
                text = f"(could not describe: {exc!r})"
            report.sections.append((title, text))
    return report


# --- SMTP ---------------------------------------------------------------------------------


@pytest.fixture
def smtp_server(request: pytest.FixtureRequest, settings) -> Iterator[SmtpServer]:
    """A real SMTP server in this process; the test process also sends its mail there.

    Set `smtp_server.handler.refuse_first = N` to have it answer 451 to the first N messages.
    """
    server, controller = start_smtp_server(RecordingHandler())
    add_diagnostics(request.node, "SMTP server", server.transcript)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield server
    controller.stop()


# --- Redis --------------------------------------------------------------------------------


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def shared_redis_url() -> Iterator[str]:
    """A Redis database of these tests' own on the shared server, empty at the start."""
    parsed = urllib.parse.urlsplit(django_settings.REDIS_URL or "redis://127.0.0.1:6379/0")
    url = f"redis://{parsed.hostname or '127.0.0.1'}:{parsed.port or 6379}/{SHARED_REDIS_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@dataclass
class OwnRedis:
    """A redis-server of this test's own, so that stopping it disturbs nobody else."""

    process: ManagedProcess
    url: str

    def start(self) -> None:
        self.process.start()
        wait_until(
            lambda: redis_answers(self.url),
            what=f"redis-server at {self.url} to answer PING",
            details=self.process.diagnostics,
        )

    def stop(self) -> None:
        self.process.stop()
        assert not redis_answers(self.url), f"redis-server at {self.url} still answers"


@pytest.fixture
def own_redis(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OwnRedis]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not on PATH; the broker-outage test needs its own server")
    port = free_port()
    process = ManagedProcess(
        name=f"redis-server :{port}",
        args=[
            binary,
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--dir", str(tmp_path),
        ],
        log_path=tmp_path / "redis.log",
    )  # fmt: skip
    add_diagnostics(request.node, process.name, process.diagnostics)
    yield OwnRedis(process=process, url=f"redis://127.0.0.1:{port}/0")
    process.stop()


# --- Celery -------------------------------------------------------------------------------


def _forget_broker_connections() -> None:
    """Close the app's cached broker connections so the next publish dials conf.broker_url."""
    # kombu keeps one connection pool per broker URL for the whole process: close them all
    # and forget them, then drop the app's references as Celery itself does after a fork.
    kombu.pools.reset()
    celery_app._after_fork()


@pytest.fixture
def publish_to() -> Iterator[Callable[[str], None]]:
    """Make this process publish tasks to a real broker instead of running them eagerly."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)

    def switch(broker_url: str) -> None:
        _forget_broker_connections()
        conf.task_always_eager = False
        conf.broker_url = broker_url

    yield switch
    _forget_broker_connections()
    conf.task_always_eager, conf.broker_url = saved


def worker_environment(*, redis_url: str, smtp: SmtpServer) -> dict[str, str]:
    """The environment of a production worker, pointed at the test database and servers."""
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        credentials += ":" + urllib.parse.quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    env = {
        name: value
        for name, value in os.environ.items()
        # Would win over REDIS_URL as the broker.
        if name != "CELERY_BROKER_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="helpdesk.settings_test",
        DATABASE_URL=f"postgres://{credentials}@{host}:{port}/{db['NAME']}",
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_URL=f"smtp://{smtp.host}:{smtp.port}",
        EMAIL_RETRY_BASE_SECONDS="1",
        EMAIL_RETRY_GRACE_SECONDS="1",
        SWEEP_INTERVAL_SECONDS="1",
        SITE_URL="http://portal.test",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def start_celery(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., CeleryStack]]:
    """Start a real worker and beat (subprocesses); both are stopped when the test ends."""
    started: list[ManagedProcess] = []

    def start(
        *, redis_url: str, smtp: SmtpServer, concurrency: int = 0, with_beat: bool = True
    ) -> CeleryStack:
        """`concurrency` > 0: a prefork pool of that many processes (as in production);
        0: one solo process. Without beat, sweeps run only when a test queues one."""
        env = worker_environment(redis_url=redis_url, smtp=smtp)
        celery = str(VENV_BIN / "celery")
        node = f"integration-{uuid.uuid4().hex[:8]}@%h"
        pool = (
            ["--pool", "prefork", "--concurrency", str(concurrency)]
            if concurrency
            else ["--pool", "solo"]
        )
        worker = ManagedProcess(
            name="celery worker",
            args=[
                celery, "-A", "helpdesk", "worker", *pool, "-l", "info", "-n", node,
                # No other workers to meet: skip the start-up handshake and chatter.
                "--without-mingle", "--without-gossip", "--without-heartbeat",
            ],
            log_path=tmp_path / "worker.log",
            env=env,
            cwd=BASE_DIR,
        )  # fmt: skip
        beat = ManagedProcess(
            name="celery beat",
            args=[celery, "-A", "helpdesk", "beat", "-l", "info", "-s", str(tmp_path / "schedule")],
            log_path=tmp_path / "beat.log",
            env=env,
            cwd=BASE_DIR,
        )
        for process in (worker, beat) if with_beat else (worker,):
            add_diagnostics(request.node, process.name, process.diagnostics)
            started.append(process)
            process.start()
        worker.wait_for_log(r"integration-\w+@\S+ ready\.")
        if with_beat:
            beat.wait_for_log(r"beat: Starting")
        return CeleryStack(worker=worker, beat=beat)

    yield start
    for process in reversed(started):
        process.stop()
