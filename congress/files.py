"""Serving stored files only through a scope check (never a guessable public URL)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from congress import loop
from congress.models import EventAttachment


@login_required
def attachment_download(request: HttpRequest, token: str) -> FileResponse:
    """An attachment of a timeline event, for whoever may see the case (else 404)."""
    attachment = (
        EventAttachment.objects.select_related("event").filter(token=token).first()
    )
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
