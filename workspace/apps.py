from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The engineers' side: the queue in SLA order and the service-level dashboard."""

    name = "workspace"
    verbose_name = _("Engineer workspace")
