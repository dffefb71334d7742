"""The fields of forms drawn by {% form_field %}: a field of a form not sent is drawn once per
process and kept; what is kept is what a fresh drawing gives, and a change of anything it shows
(value, choices, language, a sent form's values and errors) is drawn afresh."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from tests.factories import EngineerFactory
from tickets.engineer_forms import AssignForm
from tickets.templatetags import ui


class SampleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Priority"), choices=[("low", "Low"), ("high", "High")])
    text = forms.CharField(label=_("Subject"), help_text="Short & clear", max_length=20)
    agree = forms.BooleanField(label="I agree", required=False)


@pytest.fixture(autouse=True)
def nothing_kept():
    ui._FIELDS.items.clear()
    yield
    ui._FIELDS.items.clear()


def drawn(form, name, **kwargs):
    return str(ui.form_field(form[name], **kwargs))


def test_a_kept_field_is_what_a_fresh_drawing_gives():
    first = {name: drawn(SampleForm(prefix="s"), name) for name in ("kind", "text", "agree")}
    assert len(ui._FIELDS.items) == 3
    again = {name: drawn(SampleForm(prefix="s"), name) for name in ("kind", "text", "agree")}
    assert again == first
    ui._FIELDS.items.clear()
    assert {name: drawn(SampleForm(prefix="s"), name) for name in first} == first
    assert 'id="id_s-text_help">Short &amp; clear' in first["text"]


def test_what_the_field_shows_is_part_of_what_it_is_kept_under():
    low = drawn(SampleForm(prefix="s", initial={"kind": "low"}), "kind")
    high = drawn(SampleForm(prefix="s", initial={"kind": "high"}), "kind")
    assert '<option value="low" selected>' in low
    assert '<option value="high" selected>' in high

    other = SampleForm(prefix="s")
    other.fields["kind"].choices = [("low", "Low"), ("urgent", "Urgent")]
    assert '<option value="urgent">Urgent</option>' in drawn(other, "kind")

    with translation.override("ru"):
        russian = drawn(SampleForm(prefix="s"), "text")
    assert 'for="id_s-text">Тема <span' in russian
    assert 'for="id_s-text">Subject <span' in drawn(SampleForm(prefix="s"), "text")
    assert 'for="id_t-text"' in drawn(SampleForm(prefix="t"), "text")


def test_a_sent_form_is_drawn_with_its_values_and_errors_and_never_kept():
    drawn(SampleForm(prefix="s"), "text")
    sent = SampleForm({"s-text": "x" * 21, "s-kind": "low"}, prefix="s")
    assert not sent.is_valid()
    html = drawn(sent, "text")
    assert f'value="{"x" * 21}"' in html
    assert "is-invalid" in html
    assert "id_s-text_errors" in html
    assert len(ui._FIELDS.items) == 1  # the unfilled one only
    assert "is-invalid" not in drawn(SampleForm(prefix="s"), "text")


def test_choices_read_when_drawn_are_drawn_each_time():
    form = SampleForm(prefix="s")
    form.fields["kind"].choices = lambda: [("low", "Low")]
    drawn(form, "kind")
    assert ui._FIELDS.items == {}


def test_a_control_alone_is_kept_apart_from_the_whole_field():
    whole = drawn(SampleForm(prefix="s"), "kind")
    alone = str(ui.control(SampleForm(prefix="s")["kind"]))
    assert alone.startswith("<select")
    assert "<label" not in alone
    assert str(ui.control(SampleForm(prefix="s")["kind"])) == alone
    assert drawn(SampleForm(prefix="s"), "kind") == whole
    assert len(ui._FIELDS.items) == 2


def test_values_equal_in_python_but_written_otherwise_are_kept_apart():
    class AmountForm(forms.Form):
        amount = forms.DecimalField(decimal_places=2)

    assert 'value="1.0"' in drawn(
        AmountForm(prefix="a", initial={"amount": Decimal("1.0")}), "amount"
    )
    assert 'value="1.00"' in drawn(
        AmountForm(prefix="a", initial={"amount": Decimal("1.00")}), "amount"
    )


def test_a_safe_text_and_the_same_text_to_escape_are_kept_apart():
    escaped, safe = SampleForm(prefix="s"), SampleForm(prefix="s")
    escaped.fields["text"].help_text = "<b>Short</b>"
    safe.fields["text"].help_text = mark_safe("<b>Short</b>")

    assert "&lt;b&gt;Short&lt;/b&gt;" in drawn(escaped, "text")
    assert "><b>Short</b></div>" in drawn(safe, "text")


@pytest.mark.django_db
def test_the_assign_select_is_kept_until_the_engineers_change(engineer):
    # Its 200 engineers are the kept list itself, not walked for the key: a new engineer
    # gives a new list (accounts/reference.py), hence a new key and the newcomer's option.
    def assign_field():
        return drawn(AssignForm(prefix="assign", initial={"engineer": engineer.pk}), "engineer")

    first = assign_field()
    assert f'<option value="{engineer.pk}" selected>{engineer}</option>' in first
    assert assign_field() == first
    assert len(ui._FIELDS.items) == 1

    newcomer = EngineerFactory(first_name="Nadia", last_name="Novak")
    again = assign_field()
    assert f'<option value="{newcomer.pk}">Nadia Novak</option>' in again
    assert len(ui._FIELDS.items) == 2
