"""Probes for a load balancer or an orchestrator (docs/architecture.md, "Operations").

/healthz says the process answers and touches nothing else. /readyz runs django-health-check's
checks plus the portal's own (the Celery broker, the beat's last sweep, the mail outbox) and
answers 503 when one fails. Both are open to anyone, so their output names the checks and the
failure in a few words, never an address, a password or a traceback.
"""

import dataclasses
from collections.abc import Iterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.base import HealthCheck
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


@dataclasses.dataclass
class BeatSweep(HealthCheck):
    """The beat's sweep finished lately: deadlines, auto-close and mail retries are kept."""

    def __repr__(self) -> str:
        return "beat_sweep"

    async def run(self) -> None:
        last = await sync_to_async(monitoring.last_sweep)()
        if last is None:
            raise ServiceUnavailable("No sweep has finished yet")
        age = (timezone.now() - last.finished_at).total_seconds()
        limit = settings.READYZ_SWEEP_MAX_AGE_SECONDS
        if age > limit:
            raise ServiceUnavailable(f"The last sweep finished {age:.0f} s ago (limit {limit} s)")


@dataclasses.dataclass
class MailOutbox(HealthCheck):
    """Notification mail is leaving: the backlog is under its limit."""

    def __repr__(self) -> str:
        return "mail_outbox"

    async def run(self) -> None:
        pending = await sync_to_async(monitoring.outbox_backlog)()
        limit = settings.READYZ_OUTBOX_MAX_PENDING
        if pending > limit:
            raise ServiceUnavailable(f"{pending} mails wait to be sent (limit {limit})")


class ReadyView(HealthCheckView):
    """The checks as plain text, or JSON when asked (Accept or ?format=json); 503 on a failure."""

    def get_checks(self) -> Iterator[HealthCheck]:
        yield PortalDatabase()
        if settings.REDIS_URL:
            url = settings.REDIS_URL
            yield PortalRedis(client_factory=lambda: RedisClient.from_url(url, socket_timeout=3))
        yield CeleryBroker()
        yield BeatSweep()
        yield MailOutbox()

    async def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:  # the library's "failed": 503 tells a balancer to wait
            response.status_code = 503
        return response

    def render_to_response(self, context: dict, **response_kwargs: object) -> HttpResponse:
        # The library's HTML page carries inline styles, which the portal's CSP refuses.
        return self.render_to_response_text(response_kwargs.get("status", 200))
