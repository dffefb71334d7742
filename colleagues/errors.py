"""Refusals of the colleagues pages, each with a message for the person refused."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class InvitationUnusable(Exception):
    """The invitation link cannot be used (expired, used, revoked, or the address has an
    account by now); `message` says which, already translated."""

    def __init__(self, message: "StrOrPromise") -> None:
        super().__init__(message)
        self.message = message
