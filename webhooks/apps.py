from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from django.db.models import signals

        from accounts import reference
        from webhooks import receivers  # noqa: F401  (connects to tickets.signals)
        from webhooks.models import WebhookEndpoint

        # The subscriptions are kept per process (webhooks.receivers.subscriptions).
        for signal in (signals.post_save, signals.post_delete):
            signal.connect(
                reference.changed, sender=WebhookEndpoint, dispatch_uid=f"reference-hook-{signal}"
            )
