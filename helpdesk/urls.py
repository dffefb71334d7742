from allauth.account import views as allauth_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts import views as account_views
from helpdesk import errors, health, metrics
from tickets.views import pages as ticket_pages
from tickets.views import sent_mail

admin.site.site_header = _("Support portal administration")
admin.site.site_title = _("Support portal")
# The app list is on the index page; without the sidebar the change lists keep their key
# columns on a 1366 px screen (the ticket and notification lists hid them off-screen).
admin.site.enable_nav_sidebar = False
# Django admin signs in through the portal's sign-in (the same rate limits and second factor);
# a signed-in person who is not staff gets 403 there.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    # Operations (docs/architecture.md): probes and metrics, without login (even under
    # LoginRequiredMiddleware); never redirected to HTTPS (SECURE_REDIRECT_EXEMPT), so keep
    # these paths in step with it.
    path("healthz", login_not_required(health.healthz), name="healthz"),
    path("readyz", login_not_required(health.ReadyView.as_view()), name="readyz"),
    path("metrics", login_not_required(metrics.metrics), name="metrics"),
    path("", ticket_pages.home, name="home"),
    # Sign-in, password reset and change, two-factor authentication and sessions: allauth.
    # The short names "login" and "logout" stay for code that reverses them.
    path("accounts/login/", allauth_views.login, name="login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    # The e-mail is the login and admins manage it: allauth's e-mail page is not offered.
    path("accounts/email/", account_views.not_offered),
    # Single sign-on identities are connected at sign-in only (accounts/sso.py): no page to
    # connect or disconnect them, and no sign-up form that would let one pick another e-mail.
    path("accounts/3rdparty/", account_views.not_offered),
    path("accounts/3rdparty/signup/", account_views.not_offered),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("tickets/", include("tickets.urls")),
    path("colleagues/", include("colleagues.urls")),
    path("api/", include("api.urls")),
    path("kb/", include("knowledge.urls")),
    path("work/", include("workspace.urls")),
    path("reports/", include("reports.urls")),
    path("replies/", include("replies.urls")),
    # The demo's outbox (var/mail/), for staff who may read notifications.
    path("admin/sent-mail/", admin.site.admin_view(sent_mail.sent_mail_list), name="sent_mail"),
    path(
        "admin/sent-mail/<str:key>/",
        admin.site.admin_view(sent_mail.sent_mail_detail),
        name="sent_mail_detail",
    ),
    path(
        "admin/sent-mail/<str:key>/html/",
        admin.site.admin_view(sent_mail.sent_mail_html),
        name="sent_mail_html",
    ),
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
    path("admin/", admin.site.urls),
]

# Under /api/ a path no route takes, or a request refused before a view, is answered as problem
# details too (helpdesk/errors.py); elsewhere with the portal's pages.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
