"""The ticket page with merged and related tickets (issue 18): what each side reads, the
forms, and the page's query budget."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.tickets.test_view_detail_queries import CUSTOMER_BUDGET, ENGINEER_BUDGET
from tickets import services
from tickets.models import State, Ticket, TicketLink

# Merged or linked tickets add one query: the related tickets (selectors.related_tickets_for_
# user); their messages and files are read with the ticket's own, whatever their number.
RELATED_EXTRA = 1


@pytest.fixture
def target(customer, license_a):
    return factories.TicketFactory(customer=customer, license=license_a, subject="Tunnel drops")


@pytest.fixture
def duplicate(colleague, engineer, license_a):
    duplicate = factories.TicketFactory(
        customer=colleague, license=license_a, subject="Tunnel drops hourly"
    )
    services.ticket_take(actor=engineer, ticket=duplicate)
    log = SimpleUploadedFile("dup-trace.txt", b"trace")
    services.message_post(actor=colleague, ticket=duplicate, body="Public words", files=[log])
    note = SimpleUploadedFile("secret-note.txt", b"x")
    services.message_post(
        actor=engineer, ticket=duplicate, body="Internal musing", internal=True, files=[note]
    )
    duplicate.refresh_from_db()
    return duplicate


@pytest.fixture
def merged(duplicate, target, engineer):
    services.ticket_merge(actor=engineer, ticket=duplicate, into=target)
    return Ticket.objects.get(pk=duplicate.pk)


def page(client, user, ticket):
    client.force_login(user)
    return client.get(reverse("tickets:detail", args=[ticket.number]))


def test_the_target_shows_the_duplicates_conversation_to_an_engineer(
    client, merged, target, engineer
):
    html = page(client, engineer, target).content.decode()
    assert f"Merged from {merged.number}" in html
    assert "Public words" in html
    assert "Internal musing" in html
    assert "dup-trace.txt" in html
    assert "secret-note.txt" in html


def test_the_target_shows_the_customer_the_public_part_only(client, merged, target, customer):
    html = page(client, customer, target).content.decode()
    assert f"Merged from {merged.number}" in html
    assert "Public words" in html
    assert "dup-trace.txt" in html
    assert "Internal musing" not in html
    assert "secret-note.txt" not in html


def test_the_duplicates_files_download_from_the_target_through_the_usual_check(
    client, merged, customer, outsider
):
    public = merged.attachments.get(name="dup-trace.txt")
    internal = merged.attachments.get(name="secret-note.txt")
    client.force_login(customer)
    assert client.get(reverse("tickets:attachment", args=[public.pk])).status_code == 200
    assert client.get(reverse("tickets:attachment", args=[internal.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("tickets:attachment", args=[public.pk])).status_code == 404


def test_the_duplicate_keeps_its_conversation_under_a_banner(client, merged, target, colleague):
    html = page(client, colleague, merged).content.decode()
    assert 'id="merged-into"' in html
    assert reverse("tickets:detail", args=[target.number]) in html
    assert "Public words" in html
    assert "Duplicate: merged into another ticket" in html


def test_an_engineer_merges_from_the_page_and_lands_on_the_target(
    client, duplicate, target, engineer
):
    client.force_login(engineer)
    url = reverse("tickets:merge", args=[duplicate.number])
    response = client.post(url, {"merge-into": target.number.lower(), "merge-confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[target.number])
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == target.pk


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("self", "A ticket cannot be merged into itself."),
        ("SUP-1999-999999", "No ticket has the number SUP-1999-999999."),
        ("theirs", "belongs to another organization"),
    ],
)
def test_a_refused_merge_keeps_the_number_and_says_why(
    client, duplicate, engineer, outsider, license_b, typed, message
):
    numbers = {
        "self": duplicate.number,
        "theirs": factories.TicketFactory(customer=outsider, license=license_b).number,
    }
    number = numbers.get(typed, typed)
    client.force_login(engineer)
    url = reverse("tickets:merge", args=[duplicate.number])
    response = client.post(url, {"merge-into": number, "merge-confirm": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{number}"' in html
    assert Ticket.objects.get(pk=duplicate.pk).state == State.IN_PROGRESS


def test_a_merge_without_the_confirmation_is_refused(client, duplicate, target, engineer):
    client.force_login(engineer)
    url = reverse("tickets:merge", args=[duplicate.number])
    response = client.post(url, {"merge-into": target.number})
    assert response.status_code == 400
    assert "Tick the box to confirm the merge." in response.content.decode()
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id is None


def test_customers_may_not_merge_or_link(client, duplicate, target, customer):
    client.force_login(customer)
    for name, data in (
        ("tickets:merge", {"merge-into": target.number, "merge-confirm": "on"}),
        ("tickets:link", {"link-number": target.number}),
    ):
        assert client.post(reverse(name, args=[duplicate.number]), data).status_code == 403
    assert not TicketLink.objects.exists()


def test_the_relation_views_are_posts_for_signed_in_people(client, target, duplicate, outsider):
    url = reverse("tickets:link", args=[target.number])
    assert client.post(url, {"link-number": duplicate.number}).status_code == 302  # to sign in
    engineer = factories.EngineerFactory()
    client.force_login(engineer)
    assert client.get(url).status_code == 405
    unlink = reverse("tickets:unlink", args=[target.number, "SUP-1999-999999"])
    assert client.post(unlink).status_code == 404


def test_an_engineer_links_and_unlinks_from_the_page(
    client, target, outsider, license_b, engineer, customer
):
    theirs = factories.TicketFactory(customer=outsider, license=license_b, subject="Beta's VPN")
    client.force_login(engineer)
    response = client.post(
        reverse("tickets:link", args=[target.number]), {"link-number": theirs.number}
    )
    assert response.status_code == 302
    html = page(client, engineer, target).content.decode()
    assert "Beta&#x27;s VPN" in html
    assert reverse("tickets:unlink", args=[target.number, theirs.number]) in html

    again = client.post(
        reverse("tickets:link", args=[target.number]), {"link-number": theirs.number}
    )
    assert again.status_code == 400
    assert "is linked to this ticket already" in again.content.decode()
    assert f'value="{theirs.number}"' in again.content.decode()

    assert theirs.number not in page(client, customer, target).content.decode()  # not Alpha's

    client.force_login(engineer)
    client.post(reverse("tickets:unlink", args=[target.number, theirs.number]))
    assert not TicketLink.objects.exists()


@pytest.mark.parametrize(
    ("persona", "budget"), [("engineer", ENGINEER_BUDGET), ("customer", CUSTOMER_BUDGET)]
)
def test_the_page_with_merged_and_linked_tickets_reads_a_fixed_number_of_queries(
    request,
    client,
    target,
    customer,
    colleague,
    engineer,
    license_a,
    persona,
    budget,
    django_assert_max_num_queries,
):
    for i in range(3):  # three duplicates, each with messages and files, and three links
        duplicate = factories.TicketFactory(customer=colleague, license=license_a)
        for j in range(4):
            files = [SimpleUploadedFile(f"d{i}-{j}.txt", b"x")]
            services.message_post(actor=colleague, ticket=duplicate, body=f"m{i}{j}", files=files)
        services.ticket_merge(actor=engineer, ticket=duplicate, into=target)
        other = factories.TicketFactory(customer=customer, license=license_a)
        services.ticket_link(actor=engineer, ticket=target, other=other)
    user = request.getfixturevalue(persona)
    page(client, user, target)  # the first visit marks the notifications read
    url = reverse("tickets:detail", args=[target.number])
    with django_assert_max_num_queries(budget + RELATED_EXTRA):
        html = client.get(url).content.decode()
    assert html.count("Merged from SUP-") == 3
    assert html.count('class="related ') == 3
    assert "d2-3.txt" in html
