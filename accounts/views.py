"""A person's own account: preferences (language, time zone), their latest security events,
and the language switch."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from accounts import services
from accounts.forms import PreferencesForm
from accounts.models import SecurityEvent

# How many of a person's security events their profile page lists.
PROFILE_SECURITY_EVENTS = 10


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"])
        return response
    return render_profile(request, form=form, status=400 if form.errors else 200)


def render_profile(
    request: HttpRequest,
    *,
    form: PreferencesForm | None = None,
    extra: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The profile page; `extra` is what another panel of it shows (the API tokens)."""
    events = SecurityEvent.objects.filter(user=request.user)[:PROFILE_SECURITY_EVENTS]
    context = {
        "form": form or PreferencesForm(instance=request.user),
        "security_events": events,
        **(extra or {}),
    }
    return render(request, "accounts/profile.html", context, status=status)


def not_offered(request: HttpRequest) -> HttpResponse:
    raise Http404


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired or cookieless) as the portal's own page: the reader's language,
    the navigation and a fresh token, so the next form they send goes through."""
    return render(request, "403_csrf.html", status=403)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and for a signed-in person also their saved choice."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return django_set_language(request)
