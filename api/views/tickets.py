"""Tickets: the list (cursor pages, filters, search), filing one, and one ticket in full.

Reads go through tickets.selectors (an outsider gets 404 from there), writes through the
portal's form and tickets.services: the same fields, rules and messages as the pages.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from api import serializers as api
from api.views.base import PortalViewMixin, TicketCursor, run_form, ticket_context
from tickets import forms, selectors, services
from tickets.models import State

OPEN = "open"


class TicketListQuery(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[(OPEN, _("Open"))] + list(State.choices), required=False
    )
    priority = serializers.CharField(required=False, max_length=32)
    tier = serializers.CharField(required=False, max_length=32)
    organization = serializers.IntegerField(required=False, min_value=1)
    assignee = serializers.CharField(
        required=False,
        max_length=20,
        help_text=_("A person's id, or “none” for unassigned tickets."),
    )
    updated_since = serializers.DateTimeField(required=False)
    q = serializers.CharField(required=False, max_length=200, allow_blank=True)

    def validate_assignee(self, value: str) -> str:
        if value != "none" and not (value.isascii() and value.isdigit() and len(value) < 19):
            raise serializers.ValidationError(_("Give a person's id, or “none”."))
        return value

    def validate_updated_since(self, value):
        if value.tzinfo is None:
            raise serializers.ValidationError(_("Give the time with its UTC offset."))
        return value


LIST_PARAMETERS = [
    OpenApiParameter("state", str, enum=[OPEN, *State.values]),
    OpenApiParameter("priority", str, description=_("critical, high, medium, low")),
    OpenApiParameter("tier", str, description=_("standard, premium, platinum")),
    OpenApiParameter("organization", int),
    OpenApiParameter("assignee", str, description=_("A person's id, or “none”.")),
    OpenApiParameter("updated_since", str, description=_("ISO 8601 with a UTC offset")),
    OpenApiParameter("q", str, description=_("Search: a number, a license key, words")),
]


class TicketList(PortalViewMixin, generics.ListAPIView):
    """Tickets you may see, latest activity first."""

    pagination_class = TicketCursor
    serializer_class = api.TicketSummarySerializer

    def get_queryset(self):
        query = TicketListQuery(data=self.request.query_params)
        if not query.is_valid():
            raise serializers.ValidationError(query.errors)
        params = query.validated_data
        tickets = selectors.ticket_list_for_user(
            user=self.request.user,
            state=params.get("state", ""),
            query=params.get("q", ""),
            names_first=False,
        )
        if "priority" in params:
            tickets = tickets.filter(priority_id=params["priority"])
        if "tier" in params:
            tickets = tickets.filter(tier_id=params["tier"])
        if "organization" in params:
            tickets = tickets.filter(organization_id=params["organization"])
        if params.get("assignee") == "none":
            tickets = tickets.filter(assignee__isnull=True)
        elif "assignee" in params:
            tickets = tickets.filter(assignee_id=int(params["assignee"]))
        if "updated_since" in params:
            tickets = tickets.filter(updated_at__gte=params["updated_since"])
        return tickets

    @extend_schema(
        parameters=LIST_PARAMETERS, operation_id="tickets_list", summary=_("List tickets")
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={
            "application/json": api.TicketCreateSerializer,
            "multipart/form-data": api.TicketCreateSerializer,
        },
        responses={201: api.TicketSerializer},
        operation_id="tickets_create",
        summary=_("File a ticket"),
        description=_(
            "File a ticket: the new-ticket form's fields and rules (an active license of your "
            "organization, the required texts, the contact among your organization's people)."
        ),
    )
    def post(self, request, *args, **kwargs):
        user = request.user
        form = run_form(request, forms.TicketForm, contacts=selectors.contacts_for(customer=user))
        # The service's ticket carries what the answer shows (its license, customer, tier and
        # priority objects): no second read of a row just written.
        ticket = services.ticket_register(actor=user, **form.service_arguments())
        data = api.TicketSerializer(ticket, context=ticket_context(request, ticket)).data
        location = api.ticket_path(ticket.number)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})


class TicketDetail(PortalViewMixin, generics.GenericAPIView):
    serializer_class = api.TicketSerializer

    @extend_schema(operation_id="tickets_retrieve", summary=_("A ticket with its deadlines"))
    def get(self, request, number: str):
        ticket = selectors.ticket_for_user(user=request.user, number=number)
        return Response(api.TicketSerializer(ticket, context=ticket_context(request, ticket)).data)


def ticket_answer(request, number: str, *, status_code: int = 200) -> Response:
    """The ticket as it is now, after an action (fetched again: the service changed it)."""
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    data = api.TicketSerializer(ticket, context=ticket_context(request, ticket)).data
    return Response(data, status=status_code)
