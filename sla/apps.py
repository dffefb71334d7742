from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from django.db.models import signals as model_signals

        from accounts import reference
        from sla import (
            checks,  # noqa: F401 - registers the system check
            models,
        )

        kept = (
            models.Tier,
            models.Priority,
            models.Target,
            models.Calendar,
            models.WorkingHours,
            models.CalendarException,
        )
        for model in kept:  # what sla.selectors keeps per process (accounts/reference.py)
            for signal in (model_signals.post_save, model_signals.post_delete):
                signal.connect(
                    reference.changed, sender=model, dispatch_uid=f"reference-{model}-{signal}"
                )
