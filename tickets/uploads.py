"""Upload limits enforced while the request body streams in, before anything is stored.

Django's parser hands each file, chunk by chunk, to the upload handlers in the order of
settings.FILE_UPLOAD_HANDLERS. LimitedUploadHandler comes first and counts: once a file passes
ATTACHMENT_MAX_BYTES, or the files of the request together pass ATTACHMENT_MAX_REQUEST_BYTES,
or a file is one more than ATTACHMENT_MAX_COUNT, it stops handing that file's chunks on. The
handlers after it drop what they held of it (a temporary file is deleted), the rest of the
file is read from the network and thrown away, and in its place the form receives a
RefusedUpload saying how large it was and why it was refused (tickets.attachments words it).
The other fields arrive as usual, so the page comes back with what was typed and the reason
beside the file field, instead of a reset connection or a file stored and refused later.
"""

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers


class RefusedUpload(UploadedFile):
    """A file refused while it streamed in: its name and the bytes that arrived, no content.

    `reason` is TOO_LARGE (over ATTACHMENT_MAX_BYTES), REQUEST_TOO_LARGE (the request's files
    together over ATTACHMENT_MAX_REQUEST_BYTES) or TOO_MANY (past ATTACHMENT_MAX_COUNT)."""

    TOO_LARGE = "too_large"
    REQUEST_TOO_LARGE = "request_too_large"
    TOO_MANY = "too_many"

    def __init__(self, *, name: str, size: int, reason: str) -> None:
        super().__init__(
            file=io.BytesIO(), name=name, content_type="application/octet-stream", size=size
        )
        self.reason = reason


class LimitedUploadHandler(FileUploadHandler):
    """Refuse files over the limits as they stream; see the module's docstring."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.files_seen = 0
        self.accepted_bytes = 0  # of the files accepted so far in this request
        self.received = 0  # bytes of the current file
        self.reason = ""  # why the current file is refused; "" while it is within the limits

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.received = 0
        self.reason = ""
        if self.files_seen > settings.ATTACHMENT_MAX_COUNT:
            self.reason = RefusedUpload.TOO_MANY
        elif self.content_length is not None and self.content_length > _file_limit():
            self.reason = RefusedUpload.TOO_LARGE  # the part says its size: no need to wait
        if self.reason:
            raise StopFutureHandlers  # the other handlers never start this file

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if not self.reason:
            if self.received > _file_limit():
                self.reason = RefusedUpload.TOO_LARGE
            elif self.accepted_bytes + self.received > settings.ATTACHMENT_MAX_REQUEST_BYTES:
                self.reason = RefusedUpload.REQUEST_TOO_LARGE
            if self.reason:
                self._drop_what_others_hold()
        return None if self.reason else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.reason:
            self.accepted_bytes += self.received
            return None  # accepted: the next handler returns the file it stored
        return RefusedUpload(name=self.file_name or "", size=self.received, reason=self.reason)

    def _drop_what_others_hold(self) -> None:
        """Close the current file of the handlers after this one: a temporary file is deleted
        on close (Django's parser does the same when a handler skips a file)."""
        for handler in self.request.upload_handlers if self.request is not None else ():
            if handler is not self and hasattr(handler, "file"):
                handler.file.close()


def _file_limit() -> int:
    return int(settings.ATTACHMENT_MAX_BYTES)
