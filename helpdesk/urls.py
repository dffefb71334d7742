from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from helpdesk import health, metrics
from tickets.views import pages as ticket_pages
from tickets.views import sent_mail

admin.site.site_header = _("Support portal administration")
admin.site.site_title = _("Support portal")
# The app list is on the index page; without the sidebar the change lists keep their key
# columns on a 1366 px screen (the ticket and notification lists hid them off-screen).
admin.site.enable_nav_sidebar = False

urlpatterns = [
    # Operations (docs/architecture.md): probes and metrics, without login (even under
    # LoginRequiredMiddleware); never redirected to HTTPS (SECURE_REDIRECT_EXEMPT), so keep
    # these paths in step with it.
    path("healthz", login_not_required(health.healthz), name="healthz"),
    path("readyz", login_not_required(health.ReadyView.as_view()), name="readyz"),
    path("metrics", login_not_required(metrics.metrics), name="metrics"),
    path("", ticket_pages.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("tickets/", include("tickets.urls")),
    path("work/", include("workspace.urls")),
    # The demo's outbox (var/mail/), for staff who may read notifications.
    path("admin/sent-mail/", admin.site.admin_view(sent_mail.sent_mail_list), name="sent_mail"),
    path(
        "admin/sent-mail/<str:key>/",
        admin.site.admin_view(sent_mail.sent_mail_detail),
        name="sent_mail_detail",
    ),
    path("admin/", admin.site.urls),
]
