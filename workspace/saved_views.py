"""Saved personal queue views: their rules (services), their reads, and the query they keep.

Every write goes through a service here: an engineer only, their own views only (another
engineer's view is missing: Http404), a name given once per engineer (case aside), at most
MAX_VIEWS each. The queue page reads an engineer's views on every load and every refresh, so
they are kept in the shared cache (Redis) until that engineer's next change: no query.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from workspace.models import SavedQueueView
from workspace.queue_forms import DEFAULT_PER_PAGE, QueueFilterForm

if TYPE_CHECKING:
    from accounts.models import User

MAX_VIEWS = 20
NAME_MAX = SavedQueueView._meta.get_field("name").max_length
# The queue's filter parameters in the order a saved query keeps them (never the page).
QUERY_FIELDS = ("view", "tier", "priority", "organization", "assignee", "state", "q", "per_page")
CACHE_KEY = "workspace:saved-views:%s"
CACHE_SECONDS = 24 * 3600


def normalized_query(params: QueryDict, *, form: QueueFilterForm | None = None) -> str:
    """The filters of `params` that the queue applies, as a query string in a fixed order.

    Only what QueueFilterForm accepts (an invalid value is not applied by the queue, so it is
    not kept either); empty values, the default page size and the page are left out. `form`:
    one bound to `params` already (the queue page's).
    """
    form = form or QueueFilterForm(params)  # the queue page hands in its own, validated
    form.is_valid()
    kept = QueryDict(mutable=True)
    for name in QUERY_FIELDS:
        if name in form.errors:
            continue
        value = str(params.get(name, "")).strip()
        if not value or (name == "per_page" and value == str(DEFAULT_PER_PAGE)):
            continue
        kept[name] = value
    return kept.urlencode()


def saved_views_for(user: "User") -> list[tuple[int, str, str]]:
    """An engineer's saved views as (id, name, query), in their order (kept in the cache)."""
    key = CACHE_KEY % user.pk
    views = cache.get(key)
    if views is None:
        views = list(
            SavedQueueView.objects.filter(engineer=user).values_list("pk", "name", "query")
        )
        cache.set(key, views, CACHE_SECONDS)
    return views


def saved_view_for(*, user: "User", pk: int) -> SavedQueueView:
    """One of `user`'s own saved views; anyone else's is missing (Http404)."""
    view = SavedQueueView.objects.filter(engineer=user, pk=pk).first()
    if view is None:
        raise Http404("No such saved view")
    return view


def _forget(user: "User") -> None:
    key = CACHE_KEY % user.pk
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))  # a read between the two is not kept


def _check_engineer(actor: "User") -> None:
    if not actor.is_engineer:
        raise PermissionDenied(_("Only support engineers keep queue views."))


def _clean_name(actor: "User", name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": _("A name is at most %(max)s characters long.") % {"max": NAME_MAX}}
        )
    taken = SavedQueueView.objects.filter(engineer=actor, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(
            {"name": _("You already have a view named “%(name)s”.") % {"name": name}}
        )
    return name


def _save(view: SavedQueueView, name: str, **kwargs: object) -> None:
    """Save `view`; a name taken meanwhile (a second tab) gets the same message as above."""
    try:
        with transaction.atomic():
            view.save(**kwargs)  # type: ignore[arg-type]
    except IntegrityError:
        raise ValidationError(
            {"name": _("You already have a view named “%(name)s”.") % {"name": name}}
        ) from None


@transaction.atomic
def saved_view_create(
    *, actor: "User", name: str, query: str, now: datetime.datetime | None = None
) -> SavedQueueView:
    """Keep the queue filters `query` (a query string) under `name`, as the last tab."""
    _check_engineer(actor)
    name = _clean_name(actor, name)
    mine = SavedQueueView.objects.filter(engineer=actor)
    if mine.count() >= MAX_VIEWS:  # two tabs at once may make one more: harmless
        raise ValidationError(
            {"name": _("You keep %(max)s views already: delete one first.") % {"max": MAX_VIEWS}}
        )
    last = mine.aggregate(last=Max("position"))["last"]
    view = SavedQueueView(
        engineer=actor,
        name=name,
        query=normalized_query(QueryDict(query or "")),
        position=0 if last is None else last + 1,
        created_at=now or timezone.now(),
    )
    _save(view, name)
    _forget(actor)
    return view


@transaction.atomic
def saved_view_rename(*, actor: "User", view: SavedQueueView, name: str) -> SavedQueueView:
    """Give one of the engineer's own views another name."""
    _check_engineer(actor)
    if view.engineer_id != actor.pk:
        raise Http404("No such saved view")
    view.name = _clean_name(actor, name, exclude=view.pk)
    _save(view, view.name, update_fields=["name"])
    _forget(actor)
    return view


@transaction.atomic
def saved_view_delete(*, actor: "User", view: SavedQueueView) -> None:
    """Forget one of the engineer's own views (the tickets are not touched)."""
    _check_engineer(actor)
    if view.engineer_id != actor.pk:
        raise Http404("No such saved view")
    view.delete()
    _forget(actor)
