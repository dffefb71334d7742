"""Sending one delivery: claimed, signed, posted, recorded; retried with exponential backoff
and given up after WEBHOOK_MAX_ATTEMPTS; an endpoint failing WEBHOOK_DISABLE_AFTER attempts in
a row is disabled and its owner told (a notification on the portal and by mail).

The signature (`X-Helpdesk-Signature: sha256=<hex>`) is HMAC-SHA256 with the endpoint's secret
over `<timestamp>.<body>`, the timestamp being `X-Helpdesk-Timestamp` (Unix seconds): a
receiver recomputes it, compares in constant time and refuses old timestamps (replays).
"""

import datetime
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tickets.models import Notification
from tickets.notifications import notify
from webhooks.models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

USER_AGENT = "helpdesk-webhooks/1"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff(attempts: int) -> datetime.timedelta:
    """The pause after the `attempts`-th failure: base, 2 × base, 4 × base … at most an hour."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 3600))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an answer, not followed
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:500]


def claim(delivery_id: int, now: datetime.datetime) -> bool:
    """Take the delivery for one attempt, if it is due and nobody holds it (one UPDATE)."""
    lease = now + datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 30)
    return bool(
        WebhookDelivery.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            pk=delivery_id,
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now,
        ).update(claimed_until=lease, attempts=F("attempts") + 1)
    )


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> datetime.timedelta | None:
    """One attempt at `delivery_id`; the pause before the next one, or None (done or not due)."""
    now = now or timezone.now()
    if not claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    endpoint, event = delivery.endpoint, delivery.event
    if not endpoint.is_active:
        _finish(delivery, status=WebhookDelivery.Status.FAILED, error="endpoint disabled")
        return None
    body = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    code, error = _post(
        endpoint.url,
        body,
        {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Helpdesk-Event": event.kind,
            "X-Helpdesk-Event-Id": str(event.id),
            "X-Helpdesk-Timestamp": str(timestamp),
            "X-Helpdesk-Signature": sign(endpoint.secret, timestamp, body),
        },
    )
    if code is not None and 200 <= code < 300:
        _finish(delivery, status=WebhookDelivery.Status.DELIVERED, code=code, at=timezone.now())
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return None
    return _failed(delivery, code=code, error=error or f"HTTP {code}", now=now)


def _finish(
    delivery: WebhookDelivery,
    *,
    status: str,
    code: int | None = None,
    error: str = "",
    at: datetime.datetime | None = None,
) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status, response_code=code, last_error=error, delivered_at=at, claimed_until=None
    )


@transaction.atomic
def _failed(
    delivery: WebhookDelivery, *, code: int | None, error: str, now: datetime.datetime
) -> datetime.timedelta | None:
    attempts = delivery.attempts  # counted by the claim
    retry = attempts < settings.WEBHOOK_MAX_ATTEMPTS
    pause = backoff(attempts)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING if retry else WebhookDelivery.Status.FAILED,
        response_code=code,
        last_error=error,
        next_attempt_at=now + pause if retry else None,
        claimed_until=None,
    )
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    endpoint.consecutive_failures += 1
    endpoint.save(update_fields=["consecutive_failures"])
    if endpoint.is_active and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
        _disable(endpoint, delivery, now=now)
        return None
    return pause if retry else None


def _disable(
    endpoint: WebhookEndpoint, delivery: WebhookDelivery, *, now: datetime.datetime
) -> None:
    """Stop sending to a failing endpoint and tell its owner (portal and mail, the outbox)."""
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.save(update_fields=["is_active", "disabled_at"])
    WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED, last_error="endpoint disabled", claimed_until=None
    )
    logger.warning(
        "Webhook endpoint %s disabled after %d failures", endpoint.pk, endpoint.consecutive_failures
    )
    notify(
        ticket=delivery.event.ticket,
        kind=Notification.Kind.WEBHOOK_DISABLED,
        recipients=[endpoint.owner],
        data={"url": endpoint.url, "failures": endpoint.consecutive_failures},
        now=now,
    )


def enqueue(ids: list[int], *, countdown: float = 0) -> None:
    """Hand deliveries to the workers; a dead broker leaves them to the beat's sweep."""
    from webhooks.tasks import deliver_webhook

    for pk in ids:
        try:
            deliver_webhook.apply_async((pk,), countdown=countdown)
        except Exception:  # any broker failure: the row stays pending for the sweep
            logger.warning("Broker unavailable; webhook deliveries left to the sweep")
            return


def due_deliveries(now: datetime.datetime, limit: int = 1000) -> list[int]:
    """Pending deliveries whose attempt is due and not held (what the broker lost)."""
    return list(
        WebhookDelivery.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
