"""Errors as RFC 9457 problem details (`application/problem+json`), in the caller's language.

The messages are the pages' own: the services' refusals (tickets.errors) and validation
errors (keyed by field, as the forms show them). The mapping:

| cause | status |
|---|---|
| unknown or invisible object (the selectors' Http404) | 404 |
| a refused action (`ActionNotPermitted`, a role the API refuses) | 403 |
| a state conflict (`ActionNotAllowedNow`, `ConcurrentUpdate`) | 409 |
| bad input (a form's or a service's ValidationError) | 400, with `errors` by field |
| no or bad credentials | 401; too many calls 429 |
"""

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from tickets.errors import ActionNotAllowedNow, ActionNotPermitted, TicketActionError

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:helpdesk:problem:"


class FormInvalid(Exception):
    """A portal form refused the input: its errors, field by field."""

    def __init__(self, form: forms.Form) -> None:
        super().__init__("invalid form")
        self.form = form


def _errors_from(mapping: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, messages in mapping.items():
        key = "non_field_errors" if field == NON_FIELD_ERRORS else field
        if isinstance(messages, dict):
            for sub, values in _errors_from(messages).items():
                errors[f"{key}.{sub}"] = values
            continue
        if not isinstance(messages, list | tuple):
            messages = [messages]
        flat: list[str] = []
        for message in messages:
            if isinstance(message, dict):
                for sub, values in _errors_from(message).items():
                    errors[f"{key}.{sub}"] = values
            else:
                flat.append(str(message))
        if flat:
            errors[key] = flat
    return errors


def problem(
    code: str,
    status_code: int,
    title: str,
    detail: str,
    *,
    instance: str = "",
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "title": title,
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return body


def _invalid(errors: dict[str, list[str]], instance: str) -> dict[str, Any]:
    first = errors.get("non_field_errors", [""])[0]
    return problem(
        "invalid",
        400,
        _("Invalid input"),
        first or _("Some fields are not filled in correctly; see errors."),
        instance=instance,
        errors=errors,
    )


def problem_for(exc: Exception, instance: str) -> dict[str, Any] | None:
    """The problem document for `exc`, or None if it is not one the API knows."""
    if isinstance(exc, Http404 | exceptions.NotFound):
        return problem(
            "not-found",
            404,
            _("Not found"),
            _("There is nothing here, or it is not yours to see."),
            instance=instance,
        )
    if isinstance(exc, FormInvalid):
        return _invalid(_errors_from(exc.form.errors.get_json_data()), instance)
    if isinstance(exc, DjangoValidationError):
        mapping = (
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        )
        return _invalid(_errors_from(mapping), instance)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {NON_FIELD_ERRORS: exc.detail}
        return _invalid(_errors_from(detail), instance)
    if isinstance(exc, ActionNotPermitted):
        return problem("not-permitted", 403, _("Not allowed"), str(exc.message), instance=instance)
    if isinstance(exc, ActionNotAllowedNow):
        return problem("conflict", 409, _("Not possible now"), str(exc.message), instance=instance)
    if isinstance(exc, TicketActionError):  # ConcurrentUpdate
        return problem("conflict", 409, _("Changed meanwhile"), str(exc.message), instance=instance)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        return _from_api_exception(exc, instance)
    return None


def _from_api_exception(exc: exceptions.APIException, instance: str) -> dict[str, Any]:
    titles = {
        401: _("Not signed in"),
        403: _("Not allowed"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
    }
    code = exc.status_code
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        code = 401
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return problem(
        exc.default_code.replace("_", "-"),
        code,
        str(titles.get(code, _("Error"))),
        str(detail),
        instance=instance,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error the API answers as problem details."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    body = problem_for(exc, instance)
    if body is None:
        return None  # a bug: Django's 500 handling (and the error report) takes it
    headers: dict[str, str] = {}
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        authenticator = request.authenticators[0] if request and request.authenticators else None
        if authenticator is not None:
            headers["WWW-Authenticate"] = authenticator.authenticate_header(request)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait))
    return Response(body, status=body["status"], headers=headers, content_type=CONTENT_TYPE)


def problem_response(request: HttpRequest, code: str, status_code: int, title: str, detail: str):
    """For Django's own error handlers under /api/ (a path no route takes, a bad request)."""
    body = problem(code, status_code, title, detail, instance=request.path)
    return JsonResponse(body, status=status_code, content_type=CONTENT_TYPE)


__all__ = ["CONTENT_TYPE", "FormInvalid", "exception_handler", "problem_response", "status"]
