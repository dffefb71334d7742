"""The person's side of the provider without a browser: its sign-in and consent forms, sent
with `requests` as a browser would send them."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

from tests.oidc_provider.people import PASSWORD


class _HiddenFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.fields[found["name"] or ""] = found.get("value") or ""


def _post_form(idp: requests.Session, page: requests.Response, **fields: str):
    parser = _HiddenFields()
    parser.feed(page.text)
    return idp.post(
        page.url,
        data={**parser.fields, **fields},
        headers={"Referer": page.url},
        allow_redirects=False,
    )


def sign_in_and_consent(authorize_url: str, username: str, *, allow: bool = True) -> str:
    """Open the portal's authorization request at the provider, sign in there as `username`
    and answer the consent page; the URL the provider sends the browser back to."""
    idp = requests.Session()
    login_page = idp.get(authorize_url, timeout=10)
    assert "Test identity provider" in login_page.text, login_page.text
    signed_in = _post_form(idp, login_page, username=username, password=PASSWORD)
    assert signed_in.status_code == 302, signed_in.text
    consent_page = idp.get(urljoin(login_page.url, signed_in.headers["Location"]))
    assert "Authorize Support portal?" in consent_page.text, consent_page.text
    answer = {"allow": "Authorize"} if allow else {}
    back = _post_form(idp, consent_page, **answer)
    assert back.status_code == 302, back.text
    return back.headers["Location"]
