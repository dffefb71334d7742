"""Rating a closed ticket (CSAT): on the ticket page, or from the signed link of the closing
mail, which works without signing in (the signature names the ticket and the customer)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from tickets import selectors, services
from tickets.errors import TicketActionError
from tickets.models import Ticket, TicketRating
from tickets.rating_links import SCORES, RatingLinkRefused, rating_from_token
from tickets.services.rating import may_be_rated


@require_POST
@login_required
def rate(request: HttpRequest, number: str) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    try:
        services.ticket_rate(
            actor=request.user,
            ticket=ticket,
            score=request.POST.get("score"),
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        request.session[f"rating:{ticket.number}"] = request.POST.get("comment", "")
    except TicketActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you for rating our help."))
    return redirect("tickets:detail", number=ticket.number)


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "tickets/rating_refused.html", {"reason": reason}, status=400)


@login_not_required
@require_http_methods(["GET", "POST"])
def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket_id, customer_id = rating_from_token(token)
    except RatingLinkRefused as refusal:
        return _refused(request, "expired" if refusal.expired else "forged")
    ticket = Ticket.objects.filter(pk=ticket_id).select_related("organization").first()
    customer = User.objects.filter(pk=customer_id, is_active=True).first()
    if ticket is None or customer is None or customer.organization_id != ticket.organization_id:
        return _refused(request, "forged")
    score = request.POST.get("score") or request.GET.get("score", "")
    comment = request.POST.get("comment", "")
    error = ""
    if request.method == "POST":
        try:
            services.ticket_rate(
                actor=customer,
                ticket=ticket,
                score=score,
                comment=comment,
                via=TicketRating.Via.MAIL,
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        except TicketActionError as refusal:
            error = str(refusal.message)
        else:
            return render(request, "tickets/rating_done.html", {"ticket": ticket})
    rating = TicketRating.objects.filter(ticket=ticket).first()
    context = {
        "ticket": ticket,
        "rating": rating,
        "may_rate": may_be_rated(ticket) and rating is None,
        "scores": SCORES,
        "score": score,
        "comment": comment,
        "error": error,
    }
    return render(request, "tickets/rate.html", context, status=400 if error else 200)
