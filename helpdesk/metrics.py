"""/metrics for Prometheus: django-prometheus's metrics and the portal's own gauges.

django-prometheus counts requests, responses, latencies, database queries and cache hits (its
middleware and backends, see settings). The portal's gauges are read from the database when
scraped, one set-based query each (helpdesk/monitoring.py), so they are never stale and cost
nothing between scrapes. Only a scraper with the token or from an allowed address gets them.
"""

import hmac
import ipaddress
import os
from collections.abc import Iterator

import prometheus_client
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from helpdesk import monitoring


class PortalCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        by_state = GaugeMetricFamily(
            "helpdesk_open_tickets", "Open tickets by state.", labels=["state"]
        )
        for state, count in monitoring.open_tickets_by_state().items():
            by_state.add_metric([state], count)
        yield by_state
        yield GaugeMetricFamily(
            "helpdesk_breached_tickets",
            "Open tickets past their nearest unmet SLA deadline (the queue's 'breached').",
            value=monitoring.breached_now(now),
        )
        yield GaugeMetricFamily(
            "helpdesk_outbox_pending",
            "Notification mails waiting to be sent (neither sent nor given up).",
            value=monitoring.outbox_backlog(),
        )
        last = monitoring.last_sweep()
        if last is None:  # no sweep yet: absent, which an alert on absent() catches
            return
        yield GaugeMetricFamily(
            "helpdesk_sweep_last_duration_seconds",
            "How long the beat's last finished sweep took.",
            value=last.duration_seconds,
        )
        yield GaugeMetricFamily(
            "helpdesk_sweep_last_finished_timestamp_seconds",
            "When the beat's last sweep finished (Unix time).",
            value=last.finished_at.timestamp(),
        )
        yield GaugeMetricFamily(
            "helpdesk_sweep_age_seconds",
            "Seconds since the beat's last sweep finished.",
            value=(now - last.finished_at).total_seconds(),
        )


def _scraper_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.METRICS_ALLOWED_IPS
    )


def _library_metrics() -> bytes:
    """django-prometheus's metrics: of every worker process when gunicorn shares a directory
    (PROMETHEUS_MULTIPROC_DIR), else of this process alone."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return prometheus_client.generate_latest(registry)
    return prometheus_client.generate_latest(prometheus_client.REGISTRY)


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not (settings.METRICS_TOKEN or settings.METRICS_ALLOWED_IPS):
        raise Http404
    if not _scraper_allowed(request):
        response = HttpResponse("Forbidden\n", status=403, content_type="text/plain")
        response["WWW-Authenticate"] = "Bearer"
        return response
    portal = prometheus_client.CollectorRegistry(auto_describe=False)
    portal.register(PortalCollector())
    return HttpResponse(
        _library_metrics() + prometheus_client.generate_latest(portal),
        content_type=prometheus_client.CONTENT_TYPE_LATEST,
    )
