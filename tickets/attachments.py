"""Storing uploaded files: limits checked before anything is written, hashed while stored."""

import datetime
import hashlib
import mimetypes
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from tickets.models import Attachment, Message, Ticket

if TYPE_CHECKING:
    from accounts.models import User


def validate_uploads(files: Sequence[UploadedFile]) -> None:
    """Raise ValidationError (field `files`) for an empty, oversized or too many files."""
    errors = []
    if len(files) > settings.ATTACHMENT_MAX_COUNT:
        errors.append(
            _("Attach at most %(count)d files at a time; you chose %(chosen)d.")
            % {"count": settings.ATTACHMENT_MAX_COUNT, "chosen": len(files)}
        )
    for upload in files:
        if not upload.size:
            errors.append(_("The file “%(name)s” is empty.") % {"name": upload.name})
        elif upload.size > settings.ATTACHMENT_MAX_BYTES:
            errors.append(
                _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
                }
            )
    if errors:
        raise ValidationError({"files": errors})


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
    stored = []
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        name = get_valid_filename(upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:200]
        attachment = Attachment(
            ticket=ticket,
            message=message,
            uploaded_by=uploader,
            uuid_hex=uuid.uuid4().hex,
            name=name or "file",
            size=upload.size,
            sha256=digest.hexdigest(),
            content_type=(mimetypes.guess_type(name)[0] or "application/octet-stream")[:100],
            created_at=now,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save(force_insert=True)
        stored.append(attachment)
    return stored
