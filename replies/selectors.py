"""Reads of canned replies that enforce who may see which (the single 404 place).

An engineer sees the team's replies and their own; another engineer's personal reply answers
404, as does anything for a person who is not an engineer (the views answer customers 403
before they get here, as every engineers' page does).
"""

from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet
from django.http import Http404

from replies.models import CannedReply

if TYPE_CHECKING:
    from accounts.models import User


def replies_for(
    *, user: "User", query: str = "", active_only: bool = False
) -> QuerySet[CannedReply]:
    """The team's replies and `user`'s own, the team's first, by title; `query` searches the
    titles and keywords (a small table: the index on owner and title bounds the walk)."""
    if not user.is_engineer:
        return CannedReply.objects.none()
    replies = CannedReply.objects.usable_by(user)
    if active_only:
        replies = replies.filter(is_active=True)
    if query:
        replies = replies.filter(Q(title__icontains=query) | Q(keyword__icontains=query))
    return replies.order_by(F("owner_id").asc(nulls_first=True), "title", "id")


def reply_for_user(*, user: "User", pk: int, active_only: bool = False) -> CannedReply:
    reply = replies_for(user=user, active_only=active_only).filter(pk=pk).first()
    if reply is None:
        raise Http404("No such canned reply")
    return reply
