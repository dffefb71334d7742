"""The organization admin's pages: colleagues, invitations, who files for which licenses; and
the invitation link's sign-up page (the only page here without a login)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from colleagues import selectors, services
from colleagues.errors import InvitationUnusable
from colleagues.forms import AcceptForm, InviteForm, LicensesForm


def _first_error(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_http_methods(["GET", "POST"])
@login_required
def colleague_list(request: HttpRequest) -> HttpResponse:
    """The organization's people and invitations; a POST sends an invitation."""
    if request.method != "POST":
        form = InviteForm(initial={"language": request.user.language})
        return _render_list(request, form)
    selectors.check_organization_admin(request.user)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_send(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return redirect("colleagues:list")
    return _render_list(request, form, status=400)


def _render_list(request: HttpRequest, form: InviteForm, status: int = 200) -> HttpResponse:
    admin = request.user
    colleagues = list(selectors.colleagues_of(admin=admin))
    now = timezone.now()
    invitations = selectors.invitations_of(admin=admin)
    for invitation in invitations:
        invitation.current_state = invitation.state(now)  # type: ignore[attr-defined]
    context = {
        "colleagues": colleagues,
        "invitations": invitations,
        "invite_form": form,
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    return render(request, "colleagues/list.html", context, status=status)


@require_POST
@login_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_for(admin=request.user, pk=pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(
            request, _("The invitation of %(email)s is revoked.") % {"email": invitation.email}
        )
    return redirect("colleagues:list")


@require_POST
@login_required
def colleague_active(request: HttpRequest, pk: int) -> HttpResponse:
    colleague = selectors.colleague_for(admin=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.colleague_set_active(actor=request.user, colleague=colleague, active=active)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        text = (
            _("%(person)s can use the portal again.")
            if active
            else _("%(person)s is deactivated: their sessions have ended.")
        )
        messages.success(request, text % {"person": colleague})
    return redirect("colleagues:list")


@require_http_methods(["GET", "POST"])
@login_required
def colleague_licenses(request: HttpRequest, pk: int) -> HttpResponse:
    colleague = selectors.colleague_for(admin=request.user, pk=pk)
    licenses = selectors.licenses_of(admin=request.user)
    if request.method == "POST":
        form = LicensesForm(request.POST, licenses=licenses)
        if form.is_valid():
            try:
                services.colleague_set_licenses(
                    actor=request.user,
                    colleague=colleague,
                    restricted=form.cleaned_data["restricted"],
                    licenses=form.cleaned_data["licenses"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Saved: the licenses %(person)s may file for.") % {"person": colleague},
                )
                return redirect("colleagues:list")
        status = 400
    else:
        initial = {
            "restricted": "1" if colleague.license_restricted else "",
            "licenses": list(colleague.filing_licenses.all()),
        }
        form = LicensesForm(initial=initial, licenses=licenses)
        status = 200
    context = {"colleague": colleague, "form": form}
    return render(request, "colleagues/licenses.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: the invitee sets their name and password and is signed in; where
    the organization requires two-factor authentication, RequireTwoFactorMiddleware then
    takes them through setting it up before anything else."""
    invitation = selectors.invitation_by_token(token)  # a forged link: 404
    if request.user.is_authenticated:
        return render(
            request, "colleagues/accept.html", {"invitation": invitation, "signed_in": True}
        )
    try:
        services.check_usable(invitation, now=timezone.now())
    except InvitationUnusable as refusal:
        context = {"invitation": invitation, "refusal": refusal.message}
        return render(request, "colleagues/accept.html", context, status=410)
    if request.method == "POST":
        form = AcceptForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.invitation_accept(
                    invitation=invitation,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                    time_zone=data["time_zone"],
                    language=data["language"],
                )
            except InvitationUnusable as refusal:
                context = {"invitation": invitation, "refusal": refusal.message}
                return render(request, "colleagues/accept.html", context, status=410)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                translation.activate(user.language)
                messages.success(
                    request,
                    _("Welcome, %(name)s: your account in %(organization)s is ready.")
                    % {"name": user.first_name, "organization": invitation.organization},
                )
                response = redirect("tickets:list")
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language)
                return response
        status = 400
    else:
        form = AcceptForm(
            initial={
                "language": translation.get_language() or "ru",
                "time_zone": settings.BUSINESS_TIME_ZONE,
            }
        )
        status = 200
    context = {"invitation": invitation, "form": form}
    return render(request, "colleagues/accept.html", context, status=status)
