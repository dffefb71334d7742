"""Who may open the engineers' pages: support engineers only.

A customer (or an admin without the engineer role) gets 403 here: the pages themselves are no
secret, only their tickets are, and those are never shown to anyone but engineers.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def engineer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_engineer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
