"""Storing uploaded files: limits checked before anything is written, hashed while stored.

The limits per file and per request are first enforced while the body streams in
(tickets.uploads); validate_uploads words them, and the services check them again.
"""

import datetime
import hashlib
import mimetypes
import re
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from tickets.models import Attachment, Message, Ticket
from tickets.uploads import RefusedUpload

if TYPE_CHECKING:
    from accounts.models import User

# What Django's get_valid_filename keeps (letters, digits, "-", "_", "."), without its
# exception for a name that cleans to nothing: that became a bare 400 page and lost the reply.
_UNSAFE_NAME_CHARACTERS = re.compile(r"(?u)[^-\w.]")
FALLBACK_FILE_NAME = "attachment"
MAX_NAME_LENGTH = 200


def validate_uploads(files: Sequence[UploadedFile]) -> None:
    """Raise ValidationError (field `files`) for files refused while they streamed in
    (tickets.uploads), empty or oversized files, too many, or too much at once."""
    errors = []
    if len(files) > settings.ATTACHMENT_MAX_COUNT:
        errors.append(
            _("Attach at most %(count)d files at a time; you chose %(chosen)d.")
            % {"count": settings.ATTACHMENT_MAX_COUNT, "chosen": len(files)}
        )
    for upload in files:
        reason = upload.reason if isinstance(upload, RefusedUpload) else ""
        if reason == RefusedUpload.TOO_MANY:
            continue  # said once above
        if reason == RefusedUpload.REQUEST_TOO_LARGE:
            errors.append(
                _(
                    "The file “%(name)s” was not accepted: the files sent at once may be "
                    "%(limit)s together. Send it in another message."
                )
                % {"name": upload.name, "limit": _request_limit()}
            )
        elif not upload.size:
            errors.append(_("The file “%(name)s” is empty.") % {"name": upload.name})
        elif reason or upload.size > settings.ATTACHMENT_MAX_BYTES:
            errors.append(
                _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
                }
            )
    total = sum(upload.size or 0 for upload in files if not isinstance(upload, RefusedUpload))
    if not errors and total > settings.ATTACHMENT_MAX_REQUEST_BYTES:
        errors.append(
            _("The files are %(size)s together; at most %(limit)s can be sent at once.")
            % {
                "size": filesizeformat(total),
                "limit": _request_limit(),
            }
        )
    if errors:
        raise ValidationError({"files": errors})


def _request_limit() -> str:
    return filesizeformat(settings.ATTACHMENT_MAX_REQUEST_BYTES)


def _check_ticket_quota(ticket: Ticket, files: Sequence[UploadedFile]) -> None:
    """A ticket holds at most ATTACHMENT_TICKET_QUOTA_BYTES of files in all. The ticket's row
    is locked first, so two replies at once cannot both squeeze under the quota."""
    adding = sum(upload.size or 0 for upload in files)
    if not adding:
        return
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk").get()
    used = ticket.attachments.aggregate(total=Sum("size"))["total"] or 0
    quota = settings.ATTACHMENT_TICKET_QUOTA_BYTES
    if used + adding > quota:
        raise ValidationError(
            {
                "files": _(
                    "This ticket already holds %(used)s of files, and a ticket may hold "
                    "%(quota)s in all: these files (%(size)s) do not fit. Send only the part "
                    "of the logs that matters, or compress the files."
                )
                % {
                    "used": filesizeformat(used),
                    "quota": filesizeformat(quota),
                    "size": filesizeformat(adding),
                }
            }
        )


def clean_file_name(raw: str) -> str:
    """The name an attachment is shown and downloaded under: no path, only safe characters,
    at most MAX_NAME_LENGTH characters; a name with nothing left of it ("%%%") becomes
    "attachment", with the extension if one survived ("%%%.log" -> "attachment.log")."""
    base = (raw or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip().replace(" ", "_")
    stem, dot, extension = _UNSAFE_NAME_CHARACTERS.sub("", base).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = stem.strip(".") or FALLBACK_FILE_NAME
    extension = extension[:20]
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1]
    return f"{stem}.{extension}" if extension else stem


# The images shown inline in the conversation (issue 17), by Pillow's format name. Anything
# else, or a file named like an image that Pillow cannot read as one of these, is an opaque
# download (never shown).
PILLOW_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}


def _content_type(name: str, upload: UploadedFile) -> str:
    guessed = (mimetypes.guess_type(name)[0] or "application/octet-stream")[:100]
    if not guessed.startswith("image/"):
        return guessed
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = PILLOW_FORMATS.get(image.format or "")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    finally:
        upload.seek(0)
    return kind or "application/octet-stream"


def store_attachments(
    *,
    ticket: Ticket,
    uploader: "User",
    files: Sequence[UploadedFile],
    message: Message | None,
    now: datetime.datetime,
) -> list[Attachment]:
    """Store validated uploads through the storage API; call inside the service's transaction.

    Files written before a later failure are left behind by a rollback; that costs disk, never
    correctness (no row points at them), and is the price of not holding files in memory.
    """
    validate_uploads(files)
    _check_ticket_quota(ticket, files)
    stored = []
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        name = clean_file_name(upload.name)
        attachment = Attachment(
            ticket=ticket,
            message=message,
            uploaded_by=uploader,
            uuid_hex=uuid.uuid4().hex,
            name=name,
            size=upload.size,
            sha256=digest.hexdigest(),
            content_type=_content_type(name, upload),
            created_at=now,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save(force_insert=True)
        stored.append(attachment)
    return stored
