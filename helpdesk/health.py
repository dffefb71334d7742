"""Probes for a load balancer or an orchestrator (docs/architecture.md, "Operations").

/healthz says the process answers and touches nothing else. /readyz runs django-health-check's
checks plus the portal's own (the Celery broker, the beat's last sweep, the mail outbox) and
answers 503 when one fails. Both are open to anyone, so their output names the checks and the
failure in a few words, never an address, a password or a traceback.
"""

import asyncio
import dataclasses
import datetime
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import View
from health_check.base import HealthCheck, HealthCheckResult
from health_check.checks import Database
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from kombu.exceptions import OperationalError
from redis.asyncio import Redis as RedisClient

from helpdesk import monitoring
from helpdesk.celery import app


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("OK\n", content_type="text/plain; charset=utf-8")


# The checks are named in the output by their repr: a short name, without the server's address.


class PortalDatabase(Database):
    def __repr__(self) -> str:
        return "database"


class PortalRedis(Redis):
    def __repr__(self) -> str:
        return "redis"


@dataclasses.dataclass
class CeleryBroker(HealthCheck):
    """The broker accepts a connection: tasks queued now will reach a worker."""

    def __repr__(self) -> str:
        return "celery_broker"

    def run(self) -> None:
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0)
        except (OperationalError, OSError) as exc:
            raise ServiceUnavailable("Cannot connect to the Celery broker") from exc


@dataclasses.dataclass(frozen=True)
class Figures:
    """What the database says about the sweep and the outbox, read in the request's thread."""

    now: datetime.datetime
    sweep_finished_at: datetime.datetime | None
    mail_pending: int


def read_figures() -> Figures | None:
    """None when the database cannot be read (its own check names the failure)."""
    try:
        last = monitoring.last_sweep()
        return Figures(
            now=timezone.now(),
            sweep_finished_at=last.finished_at if last else None,
            mail_pending=monitoring.outbox_backlog(),
        )
    except DatabaseError:
        return None


@dataclasses.dataclass
class BeatSweep(HealthCheck):
    """The beat's sweep finished lately: deadlines, auto-close and mail retries are kept."""

    figures: Figures | None = dataclasses.field(repr=False)

    def __repr__(self) -> str:
        return "beat_sweep"

    async def run(self) -> None:
        if self.figures is None:
            raise ServiceUnavailable("Cannot read the last sweep from the database")
        if self.figures.sweep_finished_at is None:
            raise ServiceUnavailable("No sweep has finished yet")
        age = (self.figures.now - self.figures.sweep_finished_at).total_seconds()
        limit = settings.READYZ_SWEEP_MAX_AGE_SECONDS
        if age > limit:
            raise ServiceUnavailable(f"The last sweep finished {age:.0f} s ago (limit {limit} s)")


@dataclasses.dataclass
class MailOutbox(HealthCheck):
    """Notification mail is leaving: the backlog is under its limit."""

    figures: Figures | None = dataclasses.field(repr=False)

    def __repr__(self) -> str:
        return "mail_outbox"

    async def run(self) -> None:
        if self.figures is None:
            raise ServiceUnavailable("Cannot read the outbox from the database")
        limit = settings.READYZ_OUTBOX_MAX_PENDING
        if self.figures.mail_pending > limit:
            raise ServiceUnavailable(
                f"{self.figures.mail_pending} mails wait to be sent (limit {limit})"
            )


async def _gather(checks: list[HealthCheck]) -> list[HealthCheckResult]:
    return list(await asyncio.gather(*(check.get_result() for check in checks)))


class ReadyView(HealthCheckView):
    """The checks as plain text, or JSON when asked (Accept or ?format=json); 503 on a failure.

    A plain (sync) view: the figures come from the database in the request's own thread and
    connection, then the checks run together on an event loop of their own in a helper thread,
    since the request's thread may already run one (a test process driving Playwright does).
    """

    def get_checks(self) -> Iterator[HealthCheck]:
        figures = read_figures()
        yield PortalDatabase()
        if settings.REDIS_URL:
            url = settings.REDIS_URL
            yield PortalRedis(client_factory=lambda: RedisClient.from_url(url, socket_timeout=3))
        yield CeleryBroker()
        yield BeatSweep(figures=figures)
        yield MailOutbox(figures=figures)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = View.dispatch(self, request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        add_never_cache_headers(response)
        return response

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        checks = list(self.get_checks())
        with ThreadPoolExecutor(max_workers=1) as pool:
            self.results = pool.submit(asyncio.run, _gather(checks)).result()
        status = 503 if any(result.error for result in self.results) else 200
        if request.GET.get("format") == "json" or "application/json" in request.headers.get(
            "Accept", ""
        ):
            return self.render_to_response_json(status)
        return self.render_to_response_text(status)
