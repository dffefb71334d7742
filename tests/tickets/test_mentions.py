"""@mentions in internal notes (issue 18): who is told, once, by the portal and by mail as
they chose; what is left as text; how a note shows them."""

import pytest
from django.core import mail
from django.urls import reverse

from knowledge.markdown import render_markdown
from tests.factories import EngineerFactory
from tickets import services
from tickets.mentions import engineers_named, handles_in
from tickets.models import Notification

MENTION = Notification.Kind.MENTION


@pytest.fixture
def ivan(db):
    return EngineerFactory(email="ivan.petrov@vendor.example", first_name="Ivan")


def note(actor, ticket, body, *, internal=True):
    return services.message_post(actor=actor, ticket=ticket, body=body, internal=internal)


def mentions_of(user):
    return Notification.objects.filter(recipient=user, kind=MENTION)


# --- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("@ivan.petrov please look", ["ivan.petrov"]),
        ("Ask @Ivan.Petrov.", ["ivan.petrov"]),  # a full stop ends the sentence
        ("(@eve), @frank: and @eve again", ["eve", "frank"]),  # once each, in order
        ("write to eve@vendor.example", []),  # an address is not a mention
        ("a@@eve or x.@eve or @", []),
        ("`@eve` in code still names her", ["eve"]),
    ],
)
def test_it_finds_the_names_after_an_at_sign(text, handles):
    assert handles_in(text) == handles


def test_it_names_active_engineers_only_in_one_query(
    engineer, ivan, customer, django_assert_num_queries
):
    EngineerFactory(email="gone@vendor.example", is_active=False)
    with django_assert_num_queries(1):
        named = engineers_named(["eve", "ivan.petrov", "alice", "gone", "nobody"])
    assert named == {"eve": [engineer], "ivan.petrov": [ivan]}


# --- notifications --------------------------------------------------------------------------


def test_each_named_colleague_is_told_once_and_the_author_not(
    engineer, engineer2, ivan, ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = note(engineer, ticket, "@frank @ivan.petrov look; @frank again, @eve (me)")
    assert message.mentions == ["frank", "ivan.petrov", "eve"]
    assert mentions_of(engineer2).count() == 1
    assert mentions_of(ivan).count() == 1
    assert not mentions_of(engineer).exists()
    told = mentions_of(ivan).get()
    assert told.ticket == ticket
    assert told.data == {"author": str(engineer), "message": message.pk}
    sent = [m for m in mail.outbox if m.to == [ivan.email]]
    assert len(sent) == 1
    assert "mentioned you in an internal note" in sent[0].body
    assert "@ivan.petrov look" in sent[0].body  # the note itself is quoted to its engineer


def test_a_muted_mention_reaches_the_bell_but_not_the_mailbox(
    engineer, ivan, ticket, django_capture_on_commit_callbacks
):
    ivan.mail_muted_kinds = [MENTION]
    ivan.save()
    with django_capture_on_commit_callbacks(execute=True):
        note(engineer, ticket, "@ivan.petrov FYI")
    told = mentions_of(ivan).get()
    assert told.email_status == Notification.EmailStatus.NONE
    assert not [m for m in mail.outbox if m.to == [ivan.email]]


def test_unknown_and_inactive_names_stay_text(engineer, ticket):
    gone = EngineerFactory(email="gone@vendor.example", is_active=False)
    message = note(engineer, ticket, "@gone @nobody @alice")
    assert message.mentions == []
    assert not Notification.objects.filter(kind=MENTION).exists()
    assert not mentions_of(gone).exists()


def test_public_replies_and_customers_messages_mention_nobody(engineer, engineer2, ticket):
    customer = ticket.customer
    note(customer, ticket, "@frank @eve help", internal=False)
    reply = note(engineer, ticket, "Asked @frank about it", internal=False)
    assert reply.mentions == []
    assert not Notification.objects.filter(kind=MENTION).exists()


def test_the_author_is_told_of_names_that_are_nobodys(client, engineer, engineer2, ticket):
    client.force_login(engineer)
    response = client.post(
        reverse("tickets:reply", args=[ticket.number]),
        {"reply-body": "@frank and @frnak, see this", "internal": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "Nobody was told of @frnak: no active engineer has that name." in page
    assert '<span class="mention">@frank</span>' in page
    assert "@frnak" in page
    assert mentions_of(engineer2).count() == 1


# --- showing them ---------------------------------------------------------------------------


def test_a_note_shows_only_its_known_mentions_highlighted_and_safe():
    html = render_markdown(
        "Hi @ivan.petrov and @nobody, mail eve@vendor.example; [@ivan.petrov](https://x.example)"
        ' <span class="mention" onclick="x">fake</span>',
        mentions=["ivan.petrov"],
    )
    assert html.count('<span class="mention">') == 1
    assert '<span class="mention">@ivan.petrov</span> and @nobody' in html
    assert '<span class="mention" onclick' not in html


# --- the names the note's autocomplete offers ---------------------------------------------


def test_engineers_get_the_handles_of_active_colleagues(client, engineer, ivan):
    EngineerFactory(email="gone@vendor.example", is_active=False)
    client.force_login(engineer)
    response = client.get(reverse("tickets:mention_people"))
    assert response.status_code == 200
    assert response.json() == {
        "people": [
            {"handle": "eve", "name": "Eve"},
            {"handle": "ivan.petrov", "name": "Ivan"},
        ]
    }


@pytest.mark.parametrize("persona", ["customer", "outsider"])
def test_customers_get_no_names(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("tickets:mention_people")).status_code == 403


def test_anonymous_people_get_no_names(client):
    response = client.get(reverse("tickets:mention_people"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
