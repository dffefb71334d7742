"""Password reset by e-mail: a link to the account's own address only, a new password that
works, and the lockout lifted."""

import re

from django.core import mail
from django.urls import reverse

from accounts.models import SecurityEvent
from tests.accounts.support import sign_in, signed_in_as

RESET = reverse("account_reset_password")
NEW_PASSWORD = "a-Fresh-passphrase-7"


def test_a_locked_out_customer_resets_the_password_and_signs_in(client, customer):
    for _ in range(6):
        sign_in(client, customer.email, "wrong")
    response = client.post(RESET, {"email": "Alice@Alpha.example"})
    assert response["Location"] == reverse("account_reset_password_done")
    [message] = mail.outbox
    assert message.to == [customer.email]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body)
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert sign_in(client, customer.email, NEW_PASSWORD).status_code == 302
    assert signed_in_as(client) == str(customer.pk)
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_CHANGED).detail == {
        "how": "reset"
    }


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, customer):
    response = client.post(RESET, {"email": "victim@external.example"})
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox == []
