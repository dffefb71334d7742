"""The demo's outbox: the mails Django's file-based backend wrote under var/mail/, read back.

Without EMAIL_URL the portal writes each mail to a file instead of sending it (see
helpdesk/settings.py); admins read them, decoded, on the "Sent mail" page. Each file holds the
mails of one connection, every one followed by a line of 79 dashes (Django's format).
"""

import dataclasses
import datetime
import email
import email.policy
import email.utils
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclasses.dataclass(frozen=True)
class SentMail:
    key: str  # "<file name without .log>-<position>": stable while the file exists
    subject: str
    sender: str
    recipients: str
    sent_at: datetime.datetime | None
    text: str
    html: str
    attachments: list[str]


def outbox() -> Path | None:
    """The folder mails are written to, or None when mail really leaves (SMTP)."""
    if settings.EMAIL_BACKEND != FILE_BACKEND:
        return None
    return Path(settings.EMAIL_FILE_PATH)


def sent_mails(folder: Path) -> list[SentMail]:
    """Every mail in the folder, newest first."""
    mails = [
        _decode(f"{path.stem}-{position}", raw)
        for path in sorted(folder.glob("*.log"))
        for position, raw in enumerate(path.read_bytes().split(SEPARATOR))
        if raw.strip()
    ]
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(mails, key=lambda mail: (mail.sent_at or oldest, mail.key), reverse=True)


def _decode(key: str, raw: bytes) -> SentMail:
    message = email.message_from_bytes(raw, _class=EmailMessage, policy=email.policy.default)
    recipients = ", ".join(str(message[name]) for name in ("To", "Cc") if message[name])
    return SentMail(
        key=key,
        subject=str(message["Subject"] or ""),
        sender=str(message["From"] or ""),
        recipients=recipients,
        sent_at=_date(message),
        text=_part(message, "plain"),
        html=_part(message, "html"),
        attachments=[part.get_filename() or "" for part in message.iter_attachments()],
    )


def _part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    return str(part.get_content())


def _date(message: EmailMessage) -> datetime.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError):
        return None
