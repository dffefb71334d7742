"""Django admin keeps the team's canned replies under the same rules; the demo has some."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from replies.models import CannedReply
from tests.factories import CannedReplyFactory


@pytest.fixture
def as_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_adds_a_team_reply(as_admin):
    response = as_admin.post(
        reverse("admin:replies_cannedreply_add"),
        {
            "title": "Hello",
            "keyword": "hello",
            "text_ru": "",
            "text_en": "Hi {{customer_name}}",
            "is_active": "on",
            "owner": "",
        },
    )
    assert response.status_code == 302
    reply = CannedReply.objects.get()
    assert (reply.owner, reply.created_at is not None) == (None, True)


def test_admin_refuses_an_unknown_placeholder_and_a_taken_keyword(as_admin):
    CannedReplyFactory(keyword="hello")
    response = as_admin.post(
        reverse("admin:replies_cannedreply_add"),
        {
            "title": "Hello",
            "keyword": "hello",
            "text_ru": "{{клиент}}",
            "text_en": "",
            "is_active": "on",
            "owner": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown placeholder {{клиент}}." in page
    assert CannedReply.objects.count() == 1


def test_admin_lists_and_filters_replies(as_admin, engineer):
    CannedReplyFactory(title="Team one")
    CannedReplyFactory(title="Eve's own", owner=engineer)
    url = reverse("admin:replies_cannedreply_changelist")
    page = as_admin.get(url, {"scope": "team"}).content.decode()
    assert "Team one" in page
    assert "Eve&#x27;s own" not in page


def test_the_demo_has_team_replies_and_a_personal_one_and_is_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo_replies", stdout=open("/dev/null", "w"))  # noqa: SIM115
    count = CannedReply.objects.count()
    call_command("seed_demo_replies", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert CannedReply.objects.count() == count
    assert CannedReply.objects.filter(owner__isnull=True).count() >= 3
    own = CannedReply.objects.get(owner__email="engineer@example.com")
    for reply in CannedReply.objects.all():
        reply.full_clean()  # known placeholders only, some text
    assert "{{engineer_name}}" in own.text_en
