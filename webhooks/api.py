"""/api/v1/webhooks/: engineers and admins register endpoints and read their delivery log."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import EngineerOrAdmin
from api.views.base import NewestCursor, PortalViewMixin, request_data
from webhooks import services
from webhooks.models import EventKind, WebhookDelivery, WebhookEndpoint


class EndpointSerializer(serializers.ModelSerializer):
    owner = serializers.IntegerField(source="owner_id", read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "kinds",
            "owner",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "created_at",
        ]


class NewEndpointSerializer(EndpointSerializer):
    secret = serializers.CharField(
        help_text=_("Shown once: the key of the HMAC-SHA256 signature of every delivery.")
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class EndpointCreateSerializer(serializers.Serializer):
    url = serializers.CharField()
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=EventKind.choices))
    secret = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("At least 16 characters; one is made for you when left out."),
    )


class DeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField()
    kind = serializers.CharField(source="event.kind")
    ticket = serializers.CharField(source="event.ticket.number")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event_id", "kind", "ticket", "status", "attempts", "response_code",
            "last_error", "next_attempt_at", "delivered_at", "created_at",
        ]  # fmt: skip


class Endpoints(PortalViewMixin, generics.ListAPIView):
    """Your webhook endpoints (an admin: everyone's)."""

    permission_classes = [*generics.ListAPIView.permission_classes, EngineerOrAdmin]
    serializer_class = EndpointSerializer
    pagination_class = None

    def get_queryset(self):
        return services.endpoints_of(self.request.user)

    @extend_schema(
        operation_id="webhooks_create",
        request=EndpointCreateSerializer,
        responses={201: NewEndpointSerializer},
    )
    def post(self, request: Request) -> Response:
        given = EndpointCreateSerializer(data=request_data(request))
        given.is_valid(raise_exception=True)
        endpoint = services.endpoint_register(actor=request.user, **given.validated_data)
        return Response(NewEndpointSerializer(endpoint).data, status=201)


class _OneEndpoint(PortalViewMixin, generics.GenericAPIView):
    permission_classes = [*generics.GenericAPIView.permission_classes, EngineerOrAdmin]
    serializer_class = EndpointSerializer

    def _endpoint(self, request: Request, pk: int) -> WebhookEndpoint:
        return get_object_or_404(services.endpoints_of(request.user), pk=pk)


class EndpointDetail(_OneEndpoint):
    def get(self, request: Request, pk: int) -> Response:
        return Response(EndpointSerializer(self._endpoint(request, pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.endpoint_delete(actor=request.user, endpoint=self._endpoint(request, pk))
        return Response(status=204)


class EndpointEnable(_OneEndpoint):
    @extend_schema(operation_id="webhooks_enable", request=None)
    def post(self, request: Request, pk: int) -> Response:
        endpoint = services.endpoint_enable(
            actor=request.user, endpoint=self._endpoint(request, pk)
        )
        return Response(EndpointSerializer(endpoint).data)


class Deliveries(PortalViewMixin, generics.ListAPIView):
    """The delivery log of one endpoint, newest first."""

    permission_classes = [*generics.ListAPIView.permission_classes, EngineerOrAdmin]
    serializer_class = DeliverySerializer
    pagination_class = NewestCursor

    def get_queryset(self):
        endpoint = get_object_or_404(services.endpoints_of(self.request.user), pk=self.kwargs["pk"])
        return endpoint.deliveries.select_related("event__ticket")
