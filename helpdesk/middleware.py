"""What every request passes before a view sees it, and what every signed-in answer carries.

- RequestGuardMiddleware (before the session is loaded): a NUL byte in the path, the query or a
  cookie is refused with 400. No view has a use for one, and PostgreSQL refuses it in a query
  parameter, so letting it through turned a typo'd or hostile address into a 500.
- FormGuardMiddleware (after the user is known): the same for form data, and a body larger
  than Django takes in memory (DATA_UPLOAD_MAX_MEMORY_SIZE, the text fields together) gets the
  portal's "too large" page, after the rest of the body is read: answering while the browser
  is still sending made the server close a connection with unread data, which the browser
  shows as a reset connection with no message at all.
- PrivatePagesMiddleware: a page for a signed-in person is never stored by a browser or a
  proxy cache (`Cache-Control: private, no-store`): the back button on a shared computer after
  signing out, or a misconfigured proxy, must not show one customer's tickets to another.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_cache_control

NUL = "\x00"
# Read at most this much of a refused body past the limits (then give up and let the
# connection go): the proxy in front refuses anything larger (docs/architecture.md, uploads).
DRAIN_SLACK_BYTES = 16 * 1024 * 1024
DRAIN_CHUNK_BYTES = 64 * 1024

GetResponse = Callable[[HttpRequest], HttpResponse]


def _has_nul(items: Iterable[tuple[str, str]]) -> bool:
    return any(NUL in key or NUL in value for key, value in items)


def bad_request(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):  # the API answers in problem details
        from helpdesk.errors import bad_request as problem

        return problem(request, ValueError("NUL"))
    return render(request, "400.html", status=400)


class RequestGuardMiddleware:
    """Refuse a NUL byte in the path, the query string or a cookie (400)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            NUL in request.path
            or _has_nul(request.GET.items())
            or _has_nul(request.COOKIES.items())
        ):
            return bad_request(request)
        return self.get_response(request)


def _drain(request: HttpRequest) -> None:
    """Read what is left of the body, so the browser gets to read the answer."""
    budget = settings.ATTACHMENT_MAX_REQUEST_BYTES + DRAIN_SLACK_BYTES
    try:
        while budget > 0 and (chunk := request.read(DRAIN_CHUNK_BYTES)):
            budget -= len(chunk)
    except (OSError, UnreadablePostError, ValueError):
        pass  # the client went away: nothing to answer


class FormGuardMiddleware:
    """Read the form data once, up front: a body over the limits gets the "too large" page,
    a NUL byte in any field or field name gets 400."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            try:
                data = request.POST
            except RequestDataTooBig:
                _drain(request)
                return too_large(request)
            if _has_nul((key, value) for key, values in data.lists() for value in values):
                return bad_request(request)
        return self.get_response(request)


def too_large(request: HttpRequest) -> HttpResponse:
    context = {
        "text_limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        "file_limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        "request_limit": filesizeformat(settings.ATTACHMENT_MAX_REQUEST_BYTES),
    }
    return render(request, "413.html", context, status=413)


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every answer to a signed-in person."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class UploadRedirectMiddleware:
    """A form sent by static/js/uploads.js (to show the upload's progress) asks with the
    header `X-Upload-Progress`; its redirect is answered as 204 with the address in
    `X-Location`, so the script opens that page itself. Were the redirect followed inside the
    request, the page's one-time messages ("Your message was sent.") would be spent there."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("X-Upload-Progress") and response.status_code in (301, 302, 303):
            # The same response object: the cookies the inner layers set (messages) stay on it.
            response["X-Location"] = response["Location"]
            del response["Location"]
            response.status_code = 204
        return response
