"""Bodies over the limits, sent to the production web server (gunicorn, a subprocess on the test
database) over a real socket, as a browser sends them: the whole body first, then the answer.

Answering before the body was read made gunicorn close a connection with unread data, which
the sender sees as a reset connection and a browser as an error page of its own, with no word
of what was wrong. Here every refusal must arrive whole, and say why.
"""

import http.client
import os
import re
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from tests.integration.conftest import BASE_DIR, VENV_BIN, add_diagnostics
from tests.integration.support import ManagedProcess, free_port, wait_until
from tickets.models import Attachment, Message

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

MIB = 1024 * 1024
FILE_LIMIT = 2 * MIB  # the server's ATTACHMENT_MAX_BYTES, small to keep the test quick


def _database_url() -> str:
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        credentials += ":" + urllib.parse.quote(db["PASSWORD"])
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """gunicorn serving the portal on a free port, with the Procfile's sync workers."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings_test",
        "DATABASE_URL": _database_url(),
        "ATTACHMENT_MAX_BYTES": str(FILE_LIMIT),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    process = ManagedProcess(
        name=f"gunicorn :{port}",
        args=[
            str(VENV_BIN / "gunicorn"), "helpdesk.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
        ],
        log_path=tmp_path / "gunicorn.log",
        env=env,
        cwd=BASE_DIR,
    )  # fmt: skip
    add_diagnostics(request.node, process.name, process.diagnostics)
    process.start()
    process.wait_for_log(r"Booting worker")
    wait_until(lambda: _answers(port), what=f"gunicorn on port {port} to answer")
    yield f"127.0.0.1:{port}"
    process.stop()


def _answers(port: int) -> bool:
    try:
        connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection_.request("GET", "/accounts/login/")
        return connection_.getresponse().status == 200
    except OSError:
        return False


class Browser:
    """A signed-in person's cookies and the form token, sending what a browser sends."""

    def __init__(self, address: str, user) -> None:
        self.address = address
        client = Client()
        client.force_login(user)
        self.cookies = {django_settings.SESSION_COOKIE_NAME: client.cookies["sessionid"].value}
        self.token = ""

    def _headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {"Cookie": cookie, "Host": self.address, "Referer": f"http://{self.address}/"}

    def get(self, path: str) -> str:
        connection_ = http.client.HTTPConnection(self.address, timeout=30)
        connection_.request("GET", path, headers=self._headers())
        response = connection_.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        page = response.read().decode()
        if found := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page):
            self.token = found.group(1)
        return page

    def post_multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ):
        boundary = uuid.uuid4().hex
        parts = [("csrfmiddlewaretoken", None, self.token.encode())]
        parts += [(name, None, value.encode()) for name, value in fields.items()]
        parts += [(name, filename, content) for name, (filename, content) in files.items()]
        body = b"".join(
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"".encode()
            + (f'; filename="{filename}"\r\nContent-Type: application/octet-stream'.encode()
               if filename else b"")
            + b"\r\n\r\n" + content + b"\r\n"
            for name, filename, content in parts
        ) + f"--{boundary}--\r\n".encode()  # fmt: skip
        headers = {**self._headers(), "Content-Type": f"multipart/form-data; boundary={boundary}"}
        connection_ = http.client.HTTPConnection(self.address, timeout=60)
        # Raises ConnectionResetError / BrokenPipeError if the server hangs up mid-body.
        connection_.request("POST", path, body=body, headers=headers)
        response = connection_.getresponse()
        return response.status, response.read().decode()


def test_a_text_over_the_limit_gets_a_page_that_says_so_not_a_reset(web, customer, ticket):
    browser = Browser(web, customer)
    browser.get(f"/tickets/{ticket.number}/")
    text = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 15 * MIB)
    status, page = browser.post_multipart(
        f"/tickets/{ticket.number}/reply/", {"reply-body": text}, {}
    )
    assert status == 413
    assert "Too much to send at once" in page
    assert not Message.objects.exists()


def test_a_file_over_the_limit_is_refused_as_it_streams_and_the_text_is_kept(
    web, customer, ticket, tmp_path
):
    browser = Browser(web, customer)
    browser.get(f"/tickets/{ticket.number}/")
    status, page = browser.post_multipart(
        f"/tickets/{ticket.number}/reply/",
        {"reply-body": "The capture of the outage."},
        {"reply-files": ("outage.pcap", b"\x00" * (12 * MIB))},
    )
    assert status == 400
    assert "The file “outage.pcap” is 12.0\xa0MB; the limit is 2.0\xa0MB." in page
    assert "The capture of the outage." in page
    assert not Attachment.objects.exists()
    assert not any((tmp_path / "media").rglob("*.*"))
