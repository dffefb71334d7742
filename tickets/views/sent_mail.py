"""The demo's "Sent mail" pages in admin: each mail the portal wrote to var/mail/, decoded.

Mounted under /admin/ by helpdesk/urls.py with admin.site.admin_view (staff only); reading
mail also needs the permission to view notifications, since mails quote the conversation.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from tickets.sent_mail import SentMail, outbox, sent_mails

PAGE_SIZE = 50


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm("tickets.view_notification"):
        raise PermissionDenied


@require_GET
def sent_mail_list(request: HttpRequest) -> HttpResponse:
    _check(request)
    folder = outbox()
    mails = sent_mails(folder) if folder is not None and folder.is_dir() else []
    context = {
        **admin.site.each_context(request),
        "title": _("Sent mail"),
        "folder": folder,
        "page": Paginator(mails, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return TemplateResponse(request, "admin/sent_mail/list.html", context)


def _mail(key: str) -> SentMail:
    folder = outbox()
    # Looked up among the mails read, never opened by a name from the URL.
    mail = next(
        (m for m in (sent_mails(folder) if folder and folder.is_dir() else []) if m.key == key),
        None,
    )
    if mail is None:
        raise Http404
    return mail


@require_GET
def sent_mail_detail(request: HttpRequest, key: str) -> HttpResponse:
    _check(request)
    mail = _mail(key)
    context = {
        **admin.site.each_context(request),
        "title": mail.subject or _("(no subject)"),
        "mail": mail,
    }
    return TemplateResponse(request, "admin/sent_mail/detail.html", context)


# The mail's HTML, as its recipient's mail program shows it: its inline styles allowed, nothing
# else (no script, no outside image, no form), in a sandbox with an origin of its own, and
# framed only by the portal's own sent-mail page.
MAIL_HTML_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
)


@require_GET
@xframe_options_sameorigin
def sent_mail_html(request: HttpRequest, key: str) -> HttpResponse:
    _check(request)
    mail = _mail(key)
    if not mail.html:
        raise Http404
    response = HttpResponse(mail.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = MAIL_HTML_POLICY
    return response
