"""{% kept_include %} (tickets/templatetags/kept.py): a static part drawn with its arguments
alone and kept per them and the language; the page's context never reaches it."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tickets.templatetags import kept

SHORTCUTS = '{% load kept %}{% kept_include "_partials/shortcuts_help.html" page=page %}'


@pytest.fixture(autouse=True)
def nothing_kept():
    kept._PARTS.items.clear()
    yield
    kept._PARTS.items.clear()


def drawn(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_shortcuts_help_is_kept_per_page_and_language():
    queue = drawn(SHORTCUTS, page="queue")
    ticket = drawn(SHORTCUTS, page="ticket")
    with translation.override("ru"):
        russian = drawn(SHORTCUTS, page="ticket")

    assert "Next ticket in the list" in queue
    assert "Next ticket in the list" not in ticket
    assert "Take the ticket into work" in ticket
    assert "Take the ticket into work" not in russian
    assert 'id="shortcuts-help"' in russian
    assert drawn(SHORTCUTS, page="queue") == queue
    assert len(kept._PARTS.items) == 3


def test_the_page_context_does_not_reach_the_kept_part():
    source = '{% load kept %}{% kept_include "_partials/shortcuts_help.html" %}'

    assert "Next ticket in the list" not in drawn(source, page="queue")  # not an argument


def test_only_plain_values_are_taken():
    with pytest.raises(TypeError, match="plain values"):
        drawn(SHORTCUTS, page=object())


def test_the_language_choice_selects_the_language_of_the_page():
    source = '{% load kept %}{% kept_include "_partials/language_choice.html" %}'

    english = drawn(source)
    with translation.override("ru"):
        russian = drawn(source)

    assert '<option value="en" selected>' in english
    assert '<option value="ru" selected>' not in english
    assert '<option value="ru" selected>' in russian
    assert "Switch" in english
    assert "Switch" not in russian
