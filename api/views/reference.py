"""Organizations, licenses, notifications and the SLA calculator."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as api
from api.permissions import EngineerOrAdmin
from api.views.base import NewestCursor, PortalViewMixin, explained, request_data
from sla.models import Priority, Tier
from tickets import selectors
from tickets.clock import TimelineError, TimelineEvent
from tickets.deadlines import explain_timeline
from tickets.notifications import mark_read


class Organizations(PortalViewMixin, generics.ListAPIView):
    """Your organization (customers); every organization (engineers, admins)."""

    serializer_class = api.OrganizationSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user)


class OrganizationDetail(PortalViewMixin, generics.GenericAPIView):
    serializer_class = api.OrganizationSerializer

    def get(self, request: Request, pk: int) -> Response:
        organization = get_object_or_404(selectors.organizations_visible_to(request.user), pk=pk)
        return Response(api.OrganizationSerializer(organization).data)


class Licenses(PortalViewMixin, generics.ListAPIView):
    """The licenses of the organizations you see."""

    serializer_class = api.LicenseSerializer
    pagination_class = NewestCursor

    class Query(serializers.Serializer):
        organization = serializers.IntegerField(required=False, min_value=1)

    def get_queryset(self):
        query = self.Query(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        licenses = selectors.licenses_visible_to(self.request.user)
        if "organization" in query.validated_data:
            licenses = licenses.filter(organization_id=query.validated_data["organization"])
        return licenses

    @extend_schema(parameters=[OpenApiParameter("organization", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Notifications(PortalViewMixin, generics.ListAPIView):
    """Your notifications, newest first (of tickets you can still see)."""

    serializer_class = api.NotificationSerializer
    pagination_class = NewestCursor

    def get_queryset(self):
        return selectors.notifications_for_user(user=self.request.user)


class NotificationsRead(PortalViewMixin, generics.GenericAPIView):
    @extend_schema(operation_id="notifications_read", request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        mark_read(user_id=request.user.pk, now=timezone.now())
        return Response(status=204)


class SlaTimeline(PortalViewMixin, generics.GenericAPIView):
    """The SLA calculator: a timeline of events folded through the clock the tickets use (the
    same engine as `manage.py sla_explain --timeline` and the calculator page)."""

    permission_classes = [*generics.GenericAPIView.permission_classes, EngineerOrAdmin]
    serializer_class = api.TimelineSerializer

    @extend_schema(
        operation_id="sla_timeline",
        request=api.TimelineSerializer,
        responses={200: api.TimelineReportSerializer},
        description=gettext_lazy("Engineers and administrators, as the calculator page."),
    )
    def post(self, request: Request) -> Response:
        given = api.TimelineSerializer(data=request_data(request))
        given.is_valid(raise_exception=True)
        data = given.validated_data
        errors = {}
        if not Tier.objects.filter(pk=data["tier"]).exists():
            errors["tier"] = [_("Choose a support tier.")]
        if not Priority.objects.filter(pk=data["priority"]).exists():
            errors["priority"] = [_("Choose a priority.")]
        if errors:
            raise serializers.ValidationError(errors)
        events = [
            TimelineEvent(kind=e["event"], at=e["at"], priority=e.get("priority") or "")
            for e in data["events"]
        ]
        try:
            report = explain_timeline(
                tier_id=data["tier"], priority_id=data["priority"], events=events
            )
        except TimelineError as exc:
            raise serializers.ValidationError({"events": [str(exc)]}) from exc
        explanation = report.explanation
        body = {
            "tier": report.tier,
            "priority": report.priority,
            **report.as_json(),
            "explanation": {
                "reaction": explained(explanation.reaction),
                "resolution": explained(explanation.resolution),
                "provisional": explanation.provisional,
                "silence": None,
            }
            if explanation
            else None,
        }
        return Response(api.TimelineReportSerializer(body).data)
