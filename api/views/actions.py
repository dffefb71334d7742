"""Every lifecycle action, one POST each: the page's form, then the service, then the ticket
as it is now. Refusals are the services' own (403 not yours or not your role, 409 not now)."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as api
from api.views.base import PortalViewMixin, request_data, run_form
from api.views.tickets import ticket_answer
from tickets import engineer_forms, forms, selectors, services
from tickets.models import Ticket

Act = Callable[[Request, Ticket, dict[str, Any]], object]


def action_view(
    name: str,
    *,
    act: Act,
    form_class: type[django_forms.Form] = django_forms.Form,
    request_serializer: type[serializers.Serializer] | None = None,
    description: str = "",
) -> type[generics.GenericAPIView]:
    """A view that runs one action on the ticket named in the path."""

    class ActionView(PortalViewMixin, generics.GenericAPIView):
        serializer_class = api.TicketSerializer

        @extend_schema(
            operation_id=f"tickets_{name}",
            request=request_serializer,
            responses={200: api.TicketSerializer},
            description=description,
        )
        def post(self, request: Request, number: str) -> Response:
            ticket = selectors.ticket_for_user(user=request.user, number=number)
            form = run_form(request, form_class)
            act(request, ticket, form.cleaned_data)
            return ticket_answer(request, number)

    ActionView.__name__ = ActionView.__qualname__ = f"{name.title().replace('_', '')}Action"
    return ActionView


Take = action_view(
    "take",
    act=lambda r, t, d: services.ticket_take(actor=r.user, ticket=t),
    description=_("Take the ticket into work (engineers)."),
)
Assign = action_view(
    "assign",
    act=lambda r, t, d: services.ticket_assign(actor=r.user, ticket=t, engineer=d["engineer"]),
    form_class=engineer_forms.AssignForm,
    request_serializer=api.AssignSerializer,
    description=_("Assign the ticket to an engineer (engineers)."),
)
RequestInfo = action_view(
    "request_info",
    act=lambda r, t, d: services.ticket_request_info(
        actor=r.user, ticket=t, body=d["body"] or "", needs=d["needs"]
    ),
    form_class=engineer_forms.InfoRequestForm,
    request_serializer=api.InfoRequestSerializer,
    description=_("Ask the customer for information; the resolution clock pauses (engineers)."),
)
Resolve = action_view(
    "resolve",
    act=lambda r, t, d: services.ticket_resolve(actor=r.user, ticket=t, result=d["result"]),
    form_class=engineer_forms.ResolveForm,
    request_serializer=api.ResolveSerializer,
    description=_("Resolve the ticket with its result (engineers)."),
)
Confirm = action_view(
    "confirm",
    act=lambda r, t, d: services.ticket_confirm(actor=r.user, ticket=t),
    description=_("Confirm the resolution (customers)."),
)
Dispute = action_view(
    "dispute",
    act=lambda r, t, d: services.ticket_dispute(actor=r.user, ticket=t, reason=d["reason"]),
    form_class=forms.DisputeForm,
    request_serializer=api.ReasonSerializer,
    description=_("Dispute the resolution, with a reason (customers)."),
)
Withdraw = action_view(
    "withdraw",
    act=lambda r, t, d: services.ticket_withdraw(actor=r.user, ticket=t, reason=d["reason"]),
    form_class=forms.WithdrawForm,
    request_serializer=api.ReasonSerializer,
    description=_("Withdraw the ticket (customers)."),
)
HandlingMethod = action_view(
    "handling_method",
    act=lambda r, t, d: services.ticket_set_handling_method(
        actor=r.user, ticket=t, method=d["method"]
    ),
    form_class=engineer_forms.HandlingMethodForm,
    request_serializer=api.HandlingMethodSerializer,
    description=_("Record the handling method agreed with the customer (engineers)."),
)


class PriorityProposals(PortalViewMixin, generics.GenericAPIView):
    serializer_class = api.PriorityChangeSerializer
    pagination_class = None

    @extend_schema(operation_id="tickets_priority_proposals_list")
    def get(self, request: Request, number: str) -> Response:
        ticket = selectors.ticket_for_user(user=request.user, number=number)
        changes = selectors.agreements_of(ticket=ticket).changes
        return Response(api.PriorityChangeSerializer(changes, many=True).data)

    @extend_schema(
        operation_id="tickets_priority_proposals_create",
        request=api.PriorityProposalSerializer,
        responses={201: api.PriorityChangeSerializer},
        description=_("Propose a new priority with a reason; the other side answers."),
    )
    def post(self, request: Request, number: str) -> Response:
        ticket = selectors.ticket_for_user(user=request.user, number=number)
        form = run_form(request, forms.PriorityProposalForm)
        change = services.priority_change_propose(
            actor=request.user,
            ticket=ticket,
            to_priority=form.cleaned_data["to_priority"] or "",
            reason=form.cleaned_data["reason"],
        )
        return Response(api.PriorityChangeSerializer(change).data, status=201)


class PriorityAnswer(PortalViewMixin, generics.GenericAPIView):
    serializer_class = api.PriorityChangeSerializer

    @extend_schema(
        operation_id="tickets_priority_proposals_answer",
        request=api.PriorityAnswerSerializer,
        description=_("Accept or decline the other side's proposal."),
    )
    def post(self, request: Request, number: str, change_id: int) -> Response:
        ticket = selectors.ticket_for_user(user=request.user, number=number)
        change = get_object_or_404(ticket.priority_changes, pk=change_id)
        answer = api.PriorityAnswerSerializer(data=request_data(request))
        answer.is_valid(raise_exception=True)
        form = run_form(request, forms.PriorityAnswerForm)
        change = services.priority_change_answer(
            actor=request.user,
            change=change,
            accept=answer.validated_data["accept"],
            note=form.cleaned_data["note"],
        )
        return Response(api.PriorityChangeSerializer(change).data)
