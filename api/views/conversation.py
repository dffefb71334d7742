"""A ticket's conversation and files: read as the ticket page shows them to the caller
(customers never see internal notes nor their files), written through tickets.services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as api
from api.views.base import PortalViewMixin, request_data, run_form
from tickets import forms, selectors, services
from tickets.views.pages import attachment_response


def _message_answer(request: Request, number: str, message_id: int) -> Response:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    read = selectors.conversation_for_user(user=request.user, ticket=ticket)
    message = next(m for m in read.messages if m.pk == message_id)
    return Response(api.MessageSerializer(message).data, status=201)


class Messages(PortalViewMixin, generics.GenericAPIView):
    serializer_class = api.MessageSerializer
    pagination_class = None

    @extend_schema(operation_id="tickets_messages_list", responses=api.MessageSerializer(many=True))
    def get(self, request: Request, number: str) -> Response:
        ticket = selectors.ticket_for_user(user=request.user, number=number)
        read = selectors.conversation_for_user(user=request.user, ticket=ticket)
        return Response(api.MessageSerializer(read.messages, many=True).data)

    @extend_schema(
        operation_id="tickets_messages_create",
        request={
            "application/json": api.MessageCreateSerializer,
            "multipart/form-data": api.MessageCreateSerializer,
        },
        responses={201: api.MessageSerializer},
        description=_(
            "Reply in the conversation (with files: multipart), or, for engineers, an internal "
            "note. A customer's reply to an information request sends the ticket back to work."
        ),
    )
    def post(self, request: Request, number: str) -> Response:
        ticket = selectors.ticket_for_user(user=request.user, number=number)
        internal = str(request_data(request).get("internal", "")).lower() in {"1", "true", "on"}
        form = run_form(request, forms.MessageForm)
        message = services.message_post(
            actor=request.user,
            ticket=ticket,
            body=form.cleaned_data["body"],
            files=form.uploads,
            internal=internal,
        )
        return _message_answer(request, number, message.pk)


class Attachments(PortalViewMixin, generics.GenericAPIView):
    serializer_class = api.AttachmentSerializer
    pagination_class = None

    @extend_schema(
        operation_id="tickets_attachments_list", responses=api.AttachmentSerializer(many=True)
    )
    def get(self, request: Request, number: str) -> Response:
        ticket = selectors.ticket_for_user(user=request.user, number=number)
        read = selectors.conversation_for_user(user=request.user, ticket=ticket)
        files = list(read.filed_attachments)
        for message in read.messages:
            files.extend(message.files)
        files.sort(key=lambda attachment: (attachment.created_at, attachment.pk))
        return Response(api.AttachmentSerializer(files, many=True).data)

    @extend_schema(
        operation_id="tickets_attachments_create",
        request={"multipart/form-data": api.FilesSerializer},
        responses={201: api.MessageSerializer},
        description=_(
            "Upload files (multipart, field “files”, repeated): they arrive as a message of "
            "the conversation, with “body” as its text if given."
        ),
    )
    def post(self, request: Request, number: str) -> Response:
        ticket = selectors.ticket_for_user(user=request.user, number=number)
        form = run_form(request, forms.MessageForm)
        message = services.message_post(
            actor=request.user,
            ticket=ticket,
            body=form.cleaned_data["body"],
            files=form.uploads,
        )
        return _message_answer(request, number, message.pk)


class AttachmentDownload(PortalViewMixin, generics.GenericAPIView):
    @extend_schema(
        operation_id="attachments_download",
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description=_("The file")),
        },
    )
    def get(self, request: Request, pk: int):
        attachment = selectors.attachment_for_user(user=request.user, pk=pk)
        return attachment_response(attachment)
