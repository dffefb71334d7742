from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "duty"
    verbose_name = _("Duty and auto-assignment")

    def ready(self) -> None:
        from django.db.models import signals as model_signals

        from accounts import reference
        from duty import models

        # The settings are kept per process (duty.selectors.assignment_settings): any change
        # of the row or of its tiers and priorities makes every process read them again.
        through = (
            models.AssignmentSettings.round_the_clock_tiers.through,
            models.AssignmentSettings.round_the_clock_priorities.through,
        )
        for signal in (model_signals.post_save, model_signals.post_delete):
            signal.connect(
                reference.changed,
                sender=models.AssignmentSettings,
                dispatch_uid=f"reference-duty-settings-{signal}",
            )
        for model in through:
            model_signals.m2m_changed.connect(
                reference.changed, sender=model, dispatch_uid=f"reference-duty-{model}"
            )
