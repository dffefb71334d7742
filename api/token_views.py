"""The profile page's API tokens: made (shown once, on the page that answers the POST) and
revoked. The panel itself is the `api_tokens` template tag on accounts/profile.html."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.views import render_profile
from api import services
from api.forms import TokenForm


@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST, prefix="token")
    if form.is_valid():
        try:
            made = services.api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            # Shown once, on this answer only: the page is never stored (no-store) and the
            # token is kept nowhere but its hash.
            return render_profile(request, extra={"new_token": made})
    return render_profile(request, extra={"token_form": form}, status=400)


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if services.api_token_revoke(actor=request.user, pk=pk):
        messages.success(request, _("The API token is revoked: it no longer works."))
    else:
        messages.error(request, _("There is no such token of yours, or it is already revoked."))
    return redirect("accounts:profile")
