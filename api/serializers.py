"""What the API shows and takes. Output serializers read what the selectors loaded; input
serializers only describe the request for the schema and check its shape: the portal's forms
and services decide, with the pages' messages."""

from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tickets.clock import EVENT_KINDS
from tickets.models import HandlingMethod, InfoNeed, State


def ticket_path(number: str) -> str:
    """The ticket's API address; the number is quoted, as TICKET_NUMBER_FORMAT may put a "/"
    in it (the route then takes it as %2F)."""
    return reverse("api:tickets") + quote(number, safe="") + "/"


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    email = serializers.EmailField()

    def get_name(self, person) -> str:
        return person.get_full_name() or person.email


class TicketSummarySerializer(serializers.Serializer):
    number = serializers.CharField(help_text=_("The ticket's number, e.g. SUP-2026-000123."))
    subject = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    priority = serializers.CharField(source="priority_id")
    tier = serializers.CharField(source="tier_id")
    organization = serializers.IntegerField(source="organization_id")
    assignee = PersonSerializer(allow_null=True)
    channel = serializers.CharField()
    registered_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    reaction_due = serializers.DateTimeField(allow_null=True)
    resolution_due = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, ticket) -> str:
        return ticket_path(ticket.number)


class SpecialDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField()
    label = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class DeadlineExplanationSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    due = serializers.DateTimeField()
    calendar = serializers.CharField()
    time_zone = serializers.CharField()
    special_days = SpecialDaySerializer(many=True)
    text = serializers.CharField(help_text=_("The target in words, in your language."))


class ExplanationSerializer(serializers.Serializer):
    reaction = DeadlineExplanationSerializer()
    resolution = DeadlineExplanationSerializer()
    provisional = serializers.BooleanField()
    silence = DeadlineExplanationSerializer(
        allow_null=True,
        help_text=_("Why and when a ticket waiting on the customer closes for silence."),
    )


class DeadlinesSerializer(serializers.Serializer):
    reaction_due = serializers.DateTimeField(allow_null=True)
    reaction_met = serializers.BooleanField(allow_null=True)
    resolution_due = serializers.DateTimeField(allow_null=True)
    resolution_met = serializers.BooleanField(allow_null=True)
    resolution_paused_at = serializers.DateTimeField(allow_null=True)
    provisional = serializers.BooleanField(source="deadlines_provisional")
    confirmation_due = serializers.DateTimeField(allow_null=True)
    auto_close_at = serializers.DateTimeField(allow_null=True)


class TicketSerializer(TicketSummarySerializer):
    product_version = serializers.CharField()
    description = serializers.CharField()
    diagnostics = serializers.CharField()
    license = serializers.CharField(source="license.key")
    customer = PersonSerializer()
    contact_email = serializers.EmailField()
    handling_method = serializers.CharField(allow_blank=True)
    close_reason = serializers.CharField(allow_blank=True)
    merged_into = serializers.CharField(
        source="merged_into.number",
        allow_null=True,
        help_text=_("The number of the ticket this one was merged into as a duplicate."),
    )
    reacted_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    deadlines = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    @extend_schema_field(DeadlinesSerializer)
    def get_deadlines(self, ticket) -> dict:
        return DeadlinesSerializer(ticket).data

    @extend_schema_field(ExplanationSerializer(allow_null=True))
    def get_explanation(self, ticket) -> dict | None:
        explanation = self.context.get("explanation")
        return ExplanationSerializer(explanation).data if explanation else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, ticket) -> list[str]:
        return self.context.get("actions", [])


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    content_type = serializers.CharField()
    created_at = serializers.DateTimeField()
    message = serializers.IntegerField(source="message_id", allow_null=True)
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, attachment) -> str:
        return reverse("api:attachment-download", args=[attachment.pk])


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    author = PersonSerializer()
    body = serializers.CharField(allow_blank=True)
    internal = serializers.BooleanField(source="is_internal")
    needs = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    files = AttachmentSerializer(many=True)


class PriorityChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    side = serializers.CharField()
    from_priority = serializers.CharField(source="from_priority_id")
    to_priority = serializers.CharField(source="to_priority_id")
    reason = serializers.CharField()
    status = serializers.CharField()
    proposed_by = PersonSerializer()
    decided_by = PersonSerializer(allow_null=True)
    decision_note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField(source="get_kind_display")
    ticket = serializers.CharField(source="ticket.number")
    data = serializers.DictField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class OrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    is_active = serializers.BooleanField()


class LicenseSerializer(serializers.Serializer):
    key = serializers.CharField()
    organization = serializers.IntegerField(source="organization_id")
    product = serializers.CharField()
    tier = serializers.CharField(source="tier_id")
    support_starts_on = serializers.DateField()
    support_ends_on = serializers.DateField()
    hotline_phone = serializers.CharField(allow_blank=True)


# --- input: shapes for the schema; the portal's forms and services check the values -------


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, **kwargs)


_FILES = serializers.ListField(
    child=serializers.FileField(), required=False, help_text=_("multipart/form-data only")
)


class TicketCreateSerializer(serializers.Serializer):
    license_key = _text(max_length=100)
    product_version = _text(max_length=100)
    priority = _text(help_text=_("critical, high, medium or low"))
    subject = _text(max_length=200)
    description = _text()
    diagnostics = _text()
    contact_email = _text(help_text=_("An active person of your organization; you by default."))
    files = _FILES


class MessageCreateSerializer(serializers.Serializer):
    body = _text()
    internal = serializers.BooleanField(
        required=False, default=False, help_text=_("An internal note (engineers only).")
    )
    files = _FILES


class FilesSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField())
    body = _text()


class AssignSerializer(serializers.Serializer):
    engineer = serializers.IntegerField()


class InfoRequestSerializer(serializers.Serializer):
    body = _text()
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=InfoNeed.choices), required=False
    )


class ResolveSerializer(serializers.Serializer):
    result = _text()


class ReasonSerializer(serializers.Serializer):
    reason = _text()


class HandlingMethodSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=HandlingMethod.choices)


class PriorityProposalSerializer(serializers.Serializer):
    to_priority = _text()
    reason = _text()


class PriorityAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = _text()


class TimelineEventSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=[(kind, kind) for kind in EVENT_KINDS])
    at = serializers.DateTimeField(help_text=_("ISO 8601 with a UTC offset"))
    priority = serializers.CharField(required=False, allow_blank=True)


class TimelineSerializer(serializers.Serializer):
    tier = serializers.CharField()
    priority = serializers.CharField(help_text=_("The priority at registration."))
    events = TimelineEventSerializer(many=True, allow_empty=False, max_length=500)


class TimelineReportSerializer(serializers.Serializer):
    tier = serializers.CharField()
    priority = serializers.CharField()
    state = serializers.CharField()
    reaction_due = serializers.DateTimeField(allow_null=True)
    resolution_due = serializers.DateTimeField(allow_null=True)
    confirmation_due = serializers.DateTimeField(allow_null=True)
    auto_close_at = serializers.DateTimeField(allow_null=True)
    reaction_met = serializers.BooleanField(allow_null=True)
    resolution_met = serializers.BooleanField(allow_null=True)
    pauses = serializers.ListField(
        child=serializers.ListField(child=serializers.DateTimeField(allow_null=True))
    )
    explanation = ExplanationSerializer(allow_null=True)
