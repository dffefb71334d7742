from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from tickets.views import pages as ticket_pages
from tickets.views import sent_mail

admin.site.site_header = _("Support portal administration")
admin.site.site_title = _("Support portal")
# The app list is on the index page; without the sidebar the change lists keep their key
# columns on a 1366 px screen (the ticket and notification lists hid them off-screen).
admin.site.enable_nav_sidebar = False

urlpatterns = [
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
    path(
        "admin/sent-mail/<str:key>/html/",
        admin.site.admin_view(sent_mail.sent_mail_html),
        name="sent_mail_html",
    ),
    path("admin/", admin.site.urls),
]
