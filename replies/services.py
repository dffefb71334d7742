"""Writes of canned replies: engineers keep their own, staff keep the team's.

Customers never reach these (the views are for engineers; the services refuse anyone else).
A personal reply is its owner's alone: nobody else edits it, staff included (they have
Django admin for what must be tidied up).
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from replies.models import CannedReply

if TYPE_CHECKING:
    from accounts.models import User


def check_may_edit(actor: "User", reply: CannedReply | None, *, team: bool) -> None:
    """Engineers only; team replies by staff; a personal reply by its owner."""
    if not actor.is_engineer:
        raise PermissionDenied(_("Only support engineers keep canned replies."))
    if team and not actor.is_staff:
        raise PermissionDenied(_("Only administrators edit the team's canned replies."))
    if reply is not None and not reply.is_team and reply.owner_id != actor.pk:
        raise PermissionDenied(_("This canned reply is another engineer's."))


def _check_keyword_free(reply: CannedReply) -> None:
    if not reply.keyword:
        return
    taken = CannedReply.objects.filter(owner=reply.owner, keyword=reply.keyword)
    if reply.pk:
        taken = taken.exclude(pk=reply.pk)
    if taken.exists():
        where = _("the team's replies") if reply.is_team else _("your replies")
        raise ValidationError(
            {
                "keyword": _("The keyword “%(keyword)s” is taken among %(where)s.")
                % {"keyword": reply.keyword, "where": where}
            }
        )


@transaction.atomic
def canned_reply_save(
    *,
    actor: "User",
    reply: CannedReply | None = None,
    title: str,
    text_ru: str,
    text_en: str,
    keyword: str = "",
    team: bool = False,
    is_active: bool = True,
    now: datetime.datetime | None = None,
) -> CannedReply:
    """Create (reply=None) or edit a canned reply. `team` applies to a new reply only: a reply
    stays the team's or its owner's. Unknown placeholders, no text, no title or a keyword
    already taken are refused with ValidationError by field."""
    now = now or timezone.now()
    if reply is None:
        check_may_edit(actor, None, team=team)
        reply = CannedReply(owner=None if team else actor, created_at=now)
    else:
        reply = CannedReply.objects.select_for_update().get(pk=reply.pk)
        check_may_edit(actor, reply, team=reply.is_team)
    reply.title = (title or "").strip()
    reply.text_ru, reply.text_en = (text_ru or "").strip(), (text_en or "").strip()
    reply.keyword, reply.is_active, reply.updated_at = (keyword or "").strip(), is_active, now
    errors: dict[str, Any] = {}
    if not reply.title:
        errors["title"] = [_("Give the reply a title.")]
    try:
        reply.full_clean(exclude=["title"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    _check_keyword_free(reply)
    reply.save()
    return reply


@transaction.atomic
def canned_reply_delete(*, actor: "User", reply: CannedReply) -> None:
    check_may_edit(actor, reply, team=reply.is_team)
    CannedReply.objects.filter(pk=reply.pk).delete()
