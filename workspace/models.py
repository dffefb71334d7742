"""The queue's saved personal views (issue 18): an engineer's own filters under a name."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class SavedQueueView(models.Model):
    """A set of queue filters an engineer keeps as an extra tab beside the built-in views.

    `query` is the filters' query string as workspace.saved_views.normalized_query writes it
    (the queue's own parameters in a fixed order, defaults and the page left out), so the page
    recognizes the view it shows and two saves of the same filters compare equal.
    """

    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        on_delete=models.CASCADE,
        related_name="saved_queue_views",
    )
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=1000)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("saved queue view")
        verbose_name_plural = _("saved queue views")
        ordering = ["position", "id"]
        constraints = [
            # One name once per engineer, case aside; it also serves the engineer's list.
            models.UniqueConstraint("engineer", Lower("name"), name="saved_queue_view_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
