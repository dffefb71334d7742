from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from django.db.models import signals

        from accounts import reference
        from knowledge.models import ProductArea

        # The product areas are kept per process (knowledge.selectors.kept_areas).
        for signal in (signals.post_save, signals.post_delete):
            signal.connect(
                reference.changed, sender=ProductArea, dispatch_uid=f"reference-area-{signal}"
            )
