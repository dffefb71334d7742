"""The Content-Security-Policy header (django-csp; helpdesk/settings.py): on every page, with
no 'unsafe-inline'; downloads and a sent mail's HTML keep stricter policies of their own. The
browser tests (tests/browser/test_content_security_policy.py) check that pages obey it."""

import pytest
from csp.middleware import CSPMiddleware
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.template import engines
from django.urls import reverse

from tickets.models import Attachment


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize("who", ["customer", "engineer", "admin_user", None])
def test_every_page_gets_a_policy_without_inline_code(client, request, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    url = {
        "customer": reverse("tickets:list"),
        "engineer": reverse("workspace:queue"),
        "admin_user": "/admin/",
        None: "/accounts/login/",
    }[who]
    policy = directives(client.get(url))
    assert policy["default-src"] == ["'self'"]
    # 'self', and a nonce only where a template asked for one.
    assert policy["script-src"][0] == "'self'"
    assert all(source.startswith("'nonce-") for source in policy["script-src"][1:])
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in str(policy)


def test_the_error_pages_get_the_policy_too(client, customer):
    client.force_login(customer)
    response = client.get("/tickets/%00/")
    assert response.status_code == 400
    assert directives(response)["script-src"][0] == "'self'"


def test_a_download_keeps_its_own_stricter_policy(client, customer, ticket):
    client.force_login(customer)
    client.post(
        reverse("tickets:reply", args=[ticket.number]),
        {"reply-body": "Log", "reply-files": [SimpleUploadedFile("a.html", b"<script>")]},
    )
    response = client.get(reverse("tickets:attachment", args=[Attachment.objects.get().pk]))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_template_gets_a_nonce_when_it_asks_for_one(rf):
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    request = rf.get("/")
    response = CSPMiddleware(view)(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert directives(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
