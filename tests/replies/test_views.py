"""The canned replies page (/replies/) and the ticket page's two JSON answers: who may see and
change which reply, and what the page reads."""

import re

import pytest
from django.urls import reverse

from replies.models import CannedReply
from tests.factories import CannedReplyFactory, ticket_in_state
from tests.i18n.test_no_english_on_russian_pages import english_words
from tickets.placeholders import PLACEHOLDERS


@pytest.fixture
def team_reply(db):
    return CannedReplyFactory(title="Taken into work", keyword="take")


@pytest.fixture
def own_reply(engineer):
    return CannedReplyFactory(title="My signature", owner=engineer, text_ru="", text_en="Eve")


@pytest.fixture
def others_reply(engineer2):
    return CannedReplyFactory(title="Frank's secret", owner=engineer2)


@pytest.fixture
def as_engineer(client, engineer):
    client.force_login(engineer)
    return client


def form(**overrides):
    data = {
        "title": "Bundle, please",
        "keyword": "bundle",
        "text_ru": "Пришлите пакет, {{имя_клиента}}.",
        "text_en": "Send the bundle, {{customer_name}}.",
        "is_active": "on",
    }
    return {**data, **overrides}


# --- The list -------------------------------------------------------------------------------


def test_it_lists_the_team_replies_and_mine_but_not_another_engineers(
    as_engineer, team_reply, own_reply, others_reply
):
    page = as_engineer.get(reverse("replies:list")).content.decode()
    assert "Taken into work" in page
    assert "My signature" in page
    assert "Frank&#x27;s secret" not in page
    # An engineer who is not staff edits their own replies only.
    assert reverse("replies:edit", args=[own_reply.pk]) in page
    assert reverse("replies:edit", args=[team_reply.pk]) not in page


def test_it_searches_by_title_and_keyword(as_engineer, team_reply, own_reply):
    page = as_engineer.get(reverse("replies:list"), {"q": "signat"}).content.decode()
    assert "My signature" in page
    assert "Taken into work" not in page
    page = as_engineer.get(reverse("replies:list"), {"q": "TAKE"}).content.decode()
    assert "Taken into work" in page


def test_the_list_reads_a_fixed_number_of_queries(as_engineer, engineer, django_assert_num_queries):
    CannedReplyFactory(owner=engineer)
    as_engineer.get(reverse("replies:list"))
    for i in range(20):
        CannedReplyFactory(owner=engineer if i % 2 else None)
    with django_assert_num_queries(3):  # the user, the replies, the bell (session: cached_db)
        page = as_engineer.get(reverse("replies:list")).content.decode()
    assert page.count('class="card mb-2"') == 21


def test_customers_are_refused_every_page(client, customer, team_reply, ticket):
    client.force_login(customer)
    urls = [
        reverse("replies:list"),
        reverse("replies:new"),
        reverse("replies:edit", args=[team_reply.pk]),
        reverse("replies:choices"),
        reverse("replies:fill", args=[team_reply.pk, ticket.number]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("replies:delete", args=[team_reply.pk])).status_code == 403
    assert CannedReply.objects.filter(pk=team_reply.pk).exists()


def test_anonymous_people_are_sent_to_sign_in(client, team_reply):
    response = client.get(reverse("replies:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Create, edit, delete -------------------------------------------------------------------


def test_an_engineer_creates_a_personal_reply(as_engineer, engineer):
    response = as_engineer.post(reverse("replies:new"), form(team="on"))  # not theirs to ask
    assert response.status_code == 302
    reply = CannedReply.objects.get()
    assert (reply.owner, reply.keyword, reply.is_active) == (engineer, "bundle", True)
    assert reply.text_en == "Send the bundle, {{customer_name}}."


def test_staff_create_team_replies(client, admin_user):
    client.force_login(admin_user)
    assert client.post(reverse("replies:new"), form(team="on")).status_code == 302
    assert CannedReply.objects.get().owner is None


def test_an_unknown_placeholder_is_refused_with_the_text_kept(as_engineer):
    response = as_engineer.post(reverse("replies:new"), form(text_en="Hi {{client_name}}, bye"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown placeholder {{client_name}}." in page
    assert "{{customer_name}} ({{имя_клиента}})" in page
    assert "Hi {{client_name}}, bye</textarea>" in page
    assert not CannedReply.objects.exists()


def test_a_keyword_is_one_reply_among_mine(as_engineer, own_reply):
    own_reply.keyword = "bundle"
    own_reply.save()
    response = as_engineer.post(reverse("replies:new"), form())
    assert response.status_code == 400
    assert "The keyword “bundle” is taken among your replies." in response.content.decode()


def test_the_preview_fills_sample_values_without_saving(as_engineer, engineer):
    response = as_engineer.post(
        reverse("replies:new"),
        form(text_en="Hi {{customer_name}}, {{ticket_number}}, {{engineer_name}}", preview="1"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hi Anna Smith, SUP-" in page
    assert "Пришлите пакет, Анна Смирнова." in page
    assert f", {engineer.get_full_name()}</pre>" in page
    assert not CannedReply.objects.exists()


def test_an_engineer_edits_and_deletes_their_own_reply(as_engineer, own_reply):
    url = reverse("replies:edit", args=[own_reply.pk])
    assert "My signature" in as_engineer.get(url).content.decode()
    response = as_engineer.post(url, form(title="Signature", is_active=""))
    assert response.status_code == 302
    own_reply.refresh_from_db()
    assert (own_reply.title, own_reply.is_active) == ("Signature", False)
    assert as_engineer.post(reverse("replies:delete", args=[own_reply.pk])).status_code == 302
    assert not CannedReply.objects.exists()


def test_another_engineers_personal_reply_is_404(as_engineer, others_reply, ticket):
    for url in (
        reverse("replies:edit", args=[others_reply.pk]),
        reverse("replies:fill", args=[others_reply.pk, ticket.number]),
    ):
        assert as_engineer.get(url).status_code == 404
    assert as_engineer.post(reverse("replies:delete", args=[others_reply.pk])).status_code == 404
    assert CannedReply.objects.filter(pk=others_reply.pk).exists()


def test_staff_do_not_reach_an_engineers_personal_reply_either(client, admin_user, others_reply):
    client.force_login(admin_user)
    assert client.get(reverse("replies:edit", args=[others_reply.pk])).status_code == 404


def test_only_staff_change_team_replies(client, as_engineer, admin_user, team_reply):
    edit = reverse("replies:edit", args=[team_reply.pk])
    assert as_engineer.get(edit).status_code == 403
    assert as_engineer.post(edit, form(title="Mine now")).status_code == 403
    assert as_engineer.post(reverse("replies:delete", args=[team_reply.pk])).status_code == 403
    team_reply.refresh_from_db()
    assert team_reply.title == "Taken into work"
    client.force_login(admin_user)
    assert client.post(edit, form(title="Taken")).status_code == 302
    team_reply.refresh_from_db()
    assert (team_reply.title, team_reply.owner) == ("Taken", None)


def test_the_pages_take_changes_only_as_post(as_engineer, own_reply):
    assert as_engineer.get(reverse("replies:delete", args=[own_reply.pk])).status_code == 405
    assert as_engineer.post(reverse("replies:choices")).status_code == 405


# --- The ticket page's picker -----------------------------------------------------------------


def test_the_choices_are_the_active_team_replies_then_mine(
    as_engineer, team_reply, own_reply, others_reply, django_assert_num_queries
):
    CannedReplyFactory(title="Retired", is_active=False)
    with django_assert_num_queries(2):  # the user, the replies
        data = as_engineer.get(reverse("replies:choices")).json()
    assert data["replies"] == [
        {"id": team_reply.pk, "title": "Taken into work", "keyword": "take", "team": True},
        {"id": own_reply.pk, "title": "My signature", "keyword": "", "team": False},
    ]


def test_fill_answers_the_text_for_the_ticket(
    as_engineer, team_reply, ticket, django_assert_num_queries
):
    url = reverse("replies:fill", args=[team_reply.pk, ticket.number])
    as_engineer.get(url)  # the first reads the kept reference data (tiers, priorities)
    with django_assert_num_queries(3):  # the user, the reply, the ticket with its people
        data = as_engineer.get(url).json()
    assert data == {
        "text": f"Hello Alice, ticket {ticket.number}.",
        "language": "en",
        "missing": [],
        "note": "",
        "warning": "",
    }


def test_fill_flags_what_has_no_value(as_engineer, ticket):
    reply = CannedReplyFactory(text_en="Regards, {{engineer_name}}")
    data = as_engineer.get(reverse("replies:fill", args=[reply.pk, ticket.number])).json()
    assert data["text"] == "Regards, {{engineer_name}}"
    assert data["missing"] == ["{{engineer_name}}"]
    assert "{{engineer_name}}" in data["warning"]


def test_fill_of_a_missing_ticket_or_a_retired_reply_is_404(as_engineer, team_reply, ticket):
    missing = reverse("replies:fill", args=[team_reply.pk, "SUP-1999-999999"])
    assert as_engineer.get(missing).status_code == 404
    retired = CannedReplyFactory(is_active=False)
    url = reverse("replies:fill", args=[retired.pk, ticket.number])
    assert as_engineer.get(url).status_code == 404


def test_the_ticket_page_offers_the_picker_to_engineers_only(
    client, as_engineer, customer, engineer, license_a
):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    page = as_engineer.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    for target in ("id_reply-body", "id_info-body", "id_resolve-result"):
        assert f'data-target="{target}"' in page
    assert "js/canned_replies" in page
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "canned-picker" not in page
    assert "canned_replies" not in page


def test_the_pages_have_no_english_for_a_russian_engineer(client, engineer, own_reply):
    keys = {word for p in PLACEHOLDERS for word in re.findall(r"[A-Za-z]{3,}", p.key)}
    engineer.language = "ru"
    engineer.save(update_fields=["language"])
    own_reply.title, own_reply.text_ru, own_reply.text_en = "Подпись", "Ева", ""
    own_reply.save()
    client.force_login(engineer)
    russian_only = form(title="Пакет", keyword="пакет", text_en="")
    preview = client.post(reverse("replies:new"), {**russian_only, "preview": "1"})
    pages = {
        "list": client.get(reverse("replies:list")),
        "new": client.get(reverse("replies:new")),
        "edit": client.get(reverse("replies:edit", args=[own_reply.pk])),
        "refused": client.post(reverse("replies:new"), {**russian_only, "title": ""}),
        "preview": preview,
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert english_words(html, also_allowed=keys) == set(), name
    assert "Пришлите пакет, Анна Смирнова." in preview.content.decode()
