"""Serving stored files only through a scope check (never a guessable public URL)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest

from congress import loop
from congress.models import CaseEvent, EventAttachment
from congress.uploads import CleanUpload, new_token


@login_required
def attachment_download(request: HttpRequest, token: str) -> FileResponse:
    """An attachment of a timeline event, for whoever may see the case (else 404)."""
    attachment = EventAttachment.objects.select_related("event").filter(token=token).first()
    if attachment is None:
        raise Http404
    kind = loop.case_types.get(attachment.event.case_type)
    visible = kind is not None and kind.can_view(request.user, attachment.event.case_id)  # type: ignore[arg-type]
    if not visible:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not attachment.content_type.startswith("image/"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def attach_to_event(*, event: CaseEvent, upload: CleanUpload) -> EventAttachment:
    """Store a checked file (``congress.uploads``) on a timeline event under a random name."""
    attachment = EventAttachment(
        event=event,
        token=new_token(),
        original_name=upload.original_name,
        extension=upload.extension,
        content_type=upload.content_type,
        size=upload.size,
    )
    # upload_to builds the stored name from the token and extension only.
    attachment.file.save(f"{attachment.token}{upload.extension}", upload.as_file(), save=False)
    attachment.save()
    return attachment


def stream_file(file: FieldFile, *, content_type: str, filename: str, inline: bool) -> FileResponse:
    """A stored upload as a private, non-cacheable download (for feature apps' own
    scoped file views, e.g. a citizen's photos): never sniffed, never scripted."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=filename
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # An uploaded file is data, never a page: no scripts even if it were HTML.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
