"""A person's notifications: the list, and marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tickets import selectors
from tickets.mail_preferences import MailPreferencesForm, user_set_mail_preferences
from tickets.notifications import mark_read


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notifications_for_user(user=request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "tickets/notifications.html", {"page": page})


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    mark_read(user_id=request.user.pk, now=timezone.now())
    return redirect("tickets:notifications")


@require_POST
@login_required
def mail_preferences(request: HttpRequest) -> HttpResponse:
    """The profile page's "notifications by e-mail" form."""
    form = MailPreferencesForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            user_set_mail_preferences(user=request.user, mailed=form.cleaned_data["mailed"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your e-mail notification choices are saved."))
    else:
        messages.error(request, _("Choose among the kinds of notification listed."))
    return redirect("accounts:profile")
