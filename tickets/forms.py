"""Forms: they carry what a person typed; the services decide whether it is acceptable.

Business checks (license, required texts, state) live in the services, which raise
ValidationError keyed by field; views put those errors back on these forms, so the message
appears next to the field and everything typed stays in place.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from knowledge.models import ChecklistItem, ProductArea
from sla import selectors as sla_selectors
from sla.models import Priority
from tickets.uploads import RefusedUpload
from tickets.widgets import PlainSelect

if TYPE_CHECKING:
    from accounts.models import User


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        # A file refused while it streamed in goes on to the service, which says why.
        single = super().clean
        return [
            item if isinstance(item, RefusedUpload) else single(item, initial) for item in items
        ]


def _person_label(person: "User") -> str:
    name = person.get_full_name()
    return f"{name} <{person.email}>" if name else person.email


def upload_limits_text() -> str:
    return _("Up to %(count)d files, %(size)s each, %(total)s together.") % {
        "count": settings.ATTACHMENT_MAX_COUNT,
        "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        "total": filesizeformat(settings.ATTACHMENT_MAX_REQUEST_BYTES),
    }


def _files_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attachments"),
        help_text=_("Logs, configurations, traces, pcaps, diagrams."),
        widget=MultipleFileInput(
            attrs={
                "data-max-bytes": settings.ATTACHMENT_MAX_BYTES,
                "data-max-count": settings.ATTACHMENT_MAX_COUNT,
                "data-max-total-bytes": settings.ATTACHMENT_MAX_REQUEST_BYTES,
            }
        ),
    )


def _text(label: str, *, rows: int | None = None, max_length: int | None = None) -> forms.Field:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    widget.attrs["required"] = True  # a hint for the browser; the service decides
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=widget, strip=False
    )


class ServiceErrorsMixin:
    """Put a service's ValidationError on the form, field by field."""

    def add_service_errors(self, error: Any) -> None:
        for field, messages in error.message_dict.items():
            target = field if field in self.fields else None  # type: ignore[attr-defined]
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]


class KeptPriorityField(forms.ModelChoiceField):
    """A priority by its code, from the priorities each process keeps (sla.selectors):
    a filing reads no row for it. The queryset draws the choices."""

    def to_python(self, value: Any) -> Priority | None:
        if value in self.empty_values:
            return None
        for priority in sla_selectors.priorities.get():
            if priority.code == value:
                return priority
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ContactField(forms.ChoiceField):
    """The contact is chosen among the organization's active people (the choices drawn), but
    the registration service checks it (it must, for every channel), with its own message:
    checking here too would read the whole organization for every filing."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class TicketForm(ServiceErrorsMixin, forms.Form):
    license_key = forms.CharField(
        label=_("License key"),
        required=False,
        max_length=100,
        help_text=_("Choose one of your organization's licenses or type the key."),
        widget=forms.TextInput(
            attrs={"list": "license-keys", "autocomplete": "off", "required": True}
        ),
    )
    product_version = _text(_("Product version"), max_length=100)
    priority = KeptPriorityField(
        label=_("Priority"),
        queryset=Priority.objects.order_by("rank"),
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
    )
    subject = _text(_("Subject"), max_length=200)
    description = _text(_("Description of the fault"), rows=8)
    product_area = forms.ModelChoiceField(
        label=_("Product area"),
        queryset=ProductArea.objects.all(),
        required=False,
        help_text=_("Choose it to see the diagnostics steps for that part of the product."),
    )
    checklist = forms.TypedMultipleChoiceField(
        label=_("Diagnostics done"), required=False, coerce=int, choices=()
    )
    diagnostics = _text(_("Primary diagnostics already done"), rows=5)
    # Chosen among the organization's active people, never typed: the portal mails only
    # them (a typed address let anyone have the portal mail a stranger).
    contact_email = ContactField(
        label=_("Contact e-mail"),
        required=False,
        help_text=_("The ticket number and updates are sent to this person of your organization."),
    )
    files = _files_field()

    def __init__(self, *args: Any, contacts: Iterable["User"] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Both lists are read only when drawn or checked (a callable): a filing with no
        # ticked item needs neither query.
        self.fields["contact_email"].choices = lambda: [
            (person.email, _person_label(person)) for person in contacts
        ]
        self.fields["checklist"].choices = lambda: [
            (item.pk, item.label) for item in ChecklistItem.objects.filter(active=True)
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "license_key": data["license_key"],
            "product_version": data["product_version"],
            "priority": data["priority"] or "",
            "subject": data["subject"],
            "description": data["description"],
            "diagnostics": data["diagnostics"],
            "contact_email": data["contact_email"],
            "files": data["files"],
            "product_area": data["product_area"],
            "checklist": data["checklist"],
        }


class MessageForm(ServiceErrorsMixin, forms.Form):
    body = _text(_("Message"), rows=5)
    files = _files_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs.pop("required")  # files alone are a message too

    @property
    def uploads(self) -> Sequence[UploadedFile]:
        return self.cleaned_data.get("files") or []


class DisputeForm(ServiceErrorsMixin, forms.Form):
    reason = _text(_("Why the result does not solve the problem"), rows=4)
    files = _files_field()


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PriorityProposalForm(ServiceErrorsMixin, forms.Form):
    to_priority = forms.ModelChoiceField(
        label=_("New priority"),
        queryset=Priority.objects.order_by("rank"),
        required=False,
        widget=PlainSelect,
    )
    reason = _text(_("Reason"), rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # shown only: the priorities each process keeps
            field = self.fields["to_priority"]
            priorities = [(p.pk, str(p)) for p in sla_selectors.priorities.get()]
            field.widget.choices = [("", field.empty_label), *priorities]


class PriorityAnswerForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
