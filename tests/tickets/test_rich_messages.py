"""Issue 17 on the ticket: guided diagnostics, Markdown texts, inline images, files on a
dispute, the customer's timeline and turning a resolution into an article."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from knowledge.models import Article, ChecklistItem
from tests.factories import TicketFactory, ticket_in_state
from tickets import services
from tickets.errors import ActionNotAllowedNow
from tickets.models import Attachment, Ticket
from tickets.services.to_article import ticket_to_article

FILING = {
    "license_key": "ALPHA-0001",
    "product_version": "7.2.1",
    "priority": "high",
    "subject": "VPN drops",
    "description": "The tunnel drops. Log:\n\n```\nike: peer <10.0.0.1> gone\n```\n",
    "diagnostics": "Bundle attached.",
    "contact_email": "alice@alpha.example",
}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def items(area):
    return list(ChecklistItem.objects.filter(area=area).order_by("rank"))


def test_it_keeps_the_ticked_checklist_of_the_chosen_area_on_the_ticket(
    client, customer, engineer, license_a, vpn
):
    ticked = items(vpn)
    client.force_login(customer)
    page = client.get(reverse("tickets:new")).content.decode()
    assert "Collected the diagnostic bundle" in page
    response = client.post(
        reverse("tickets:new"),
        {**FILING, "product_area": vpn.pk, "checklist": [ticked[0].pk, ticked[1].pk]},
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.product_area == vpn
    assert ticket.checklist_done == [
        {"en": "Collected the diagnostic bundle", "ru": "Собран диагностический пакет"},
        {"en": "Restarted the service", "ru": "Служба перезапущена"},
    ]
    client.force_login(engineer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert '<ul class="checklist-done mb-2"' in page
    assert "<li>✓ Collected the diagnostic bundle</li>" in page
    assert "<li>✓ Restarted the service</li>" in page


def test_it_refuses_a_step_of_another_area_and_keeps_what_was_typed(
    client, customer, license_a, vpn, licensing
):
    client.force_login(customer)
    other = items(licensing)[0]
    response = client.post(
        reverse("tickets:new"), {**FILING, "product_area": vpn.pk, "checklist": [other.pk]}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick only the steps listed under the product area you chose" in page
    assert f'value="{other.pk}" id="check-{other.pk}" class="form-check-input" checked' in page
    assert "VPN drops" in page
    assert not Ticket.objects.exists()


def test_it_renders_markdown_with_code_blocks_and_neutralizes_script_and_javascript_links(
    client, customer, engineer, license_a
):
    ticket = TicketFactory(customer=customer, license=license_a, description=FILING["description"])
    services.message_post(
        actor=engineer,
        ticket=ticket,
        body="<script>alert(1)</script> [docs](javascript:alert(1)) see https://kb.example/x",
    )
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "<pre><code>ike: peer &lt;10.0.0.1&gt; gone\n</code></pre>" in page
    assert "<script>alert(1)" not in page
    assert 'href="javascript' not in page
    assert '<a href="https://kb.example/x" rel="noopener nofollow">' in page


def test_it_shows_an_image_attachment_inline_through_the_checked_download(
    client, customer, outsider, license_a
):
    ticket = TicketFactory(customer=customer, license=license_a)
    services.message_post(
        actor=customer,
        ticket=ticket,
        body="The error:\n\n![dialog](shot.png)",
        files=[SimpleUploadedFile("shot.png", png_bytes(), content_type="image/png")],
    )
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    url = reverse("tickets:attachment", args=[attachment.pk])
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert f'<img src="{url}" alt="dialog">' in page
    assert client.get(url)["Content-Type"] == "image/png"
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_it_never_shows_a_file_named_like_an_image_that_is_not_one(client, customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a)
    fake = b"<svg onload=alert(1)>not a png</svg>"
    services.message_post(
        actor=customer,
        ticket=ticket,
        body="![look](fake.png)",
        files=[SimpleUploadedFile("fake.png", fake, content_type="image/png")],
    )
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/octet-stream"
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert '<img src="/tickets/attachments/' not in page
    assert "look" in page  # the alt text stays, as text
    response = client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/octet-stream"


def test_it_takes_files_with_a_dispute(client, customer, engineer, license_a):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    client.force_login(customer)
    response = client.post(
        reverse("tickets:dispute", args=[ticket.number]),
        {
            "dispute-reason": "Still drops, log attached.",
            "dispute-files": [SimpleUploadedFile("still.log", b"ike down")],
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "still.log"
    assert attachment.message.kind == "dispute"


def test_it_shows_the_customer_a_readable_timeline_without_internal_notes(
    client, customer, engineer, license_a
):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    services.message_post(actor=engineer, ticket=ticket, body="Secret note", internal=True)
    change = services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="critical", reason="Outage"
    )
    services.priority_change_answer(actor=customer, change=change, accept=True)
    services.ticket_assign(actor=engineer, ticket=ticket, engineer=engineer)
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    history = page.split('id="customer-history"')[1].split("</section>")[0]
    assert "Registered" in history
    assert "Taken into work: Registered → In progress" in history
    assert "Reaction in time" in history
    assert "Priority change accepted" in history
    assert "High → Critical" in history
    assert "Assigned" not in history
    assert "Secret note" not in page


def test_it_turns_a_resolution_into_a_draft_article_with_one_post(
    client, customer, engineer, license_a, vpn
):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    url = reverse("tickets:to_article", args=[ticket.number])
    client.force_login(customer)
    assert client.post(url).status_code == 403
    client.force_login(engineer)
    assert client.get(url).status_code == 405
    response = client.post(url)
    article = Article.objects.get()
    assert response["Location"] == reverse("knowledge:edit", args=[article.pk])
    assert article.status == Article.Status.DRAFT
    assert article.source_ticket == ticket.number
    assert article.title == ticket.subject
    assert "Fixed the config." in article.body
    assert article.language == customer.language


def test_it_refuses_an_article_from_a_ticket_without_a_resolution(engineer, ticket, vpn):
    with pytest.raises(ActionNotAllowedNow):
        ticket_to_article(actor=engineer, ticket=ticket)
