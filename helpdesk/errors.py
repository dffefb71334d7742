"""Django's error handlers: the portal's pages, except under /api/, where the same errors are
problem details (RFC 9457), as the API's own views answer them (api/problems.py)."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from api.problems import problem_response

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, "bad-request", 400, _("Bad request"), _("Bad request."))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        detail = _("You are not allowed to do this.")
        return problem_response(request, "permission-denied", 403, _("Not allowed"), detail)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        detail = _("There is nothing here, or it is not yours to see.")
        return problem_response(request, "not-found", 404, _("Not found"), detail)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        detail = _("Something went wrong on our side; it is reported. Try again later.")
        return problem_response(request, "server-error", 500, _("Server error"), detail)
    return defaults.server_error(request)
