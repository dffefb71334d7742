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

        # The settings are kept per process (duty.selectors.shift): any change of the row or
        # of its tiers and priorities makes every process read them again.
        # So are the engineers' duties (duty.selectors.roster).
        through = (
            models.AssignmentSettings.round_the_clock_tiers.through,
            models.AssignmentSettings.round_the_clock_priorities.through,
            models.DutyProfile.tiers.through,
            models.DutyProfile.areas.through,
        )
        for model in (models.AssignmentSettings, models.DutyProfile):
            for signal in (model_signals.post_save, model_signals.post_delete):
                signal.connect(
                    reference.changed, sender=model, dispatch_uid=f"reference-{model}-{signal}"
                )
        for link in through:
            model_signals.m2m_changed.connect(
                reference.changed, sender=link, dispatch_uid=f"reference-duty-{link}"
            )
