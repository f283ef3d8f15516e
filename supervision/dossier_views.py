"""A topic's printable dossier (docs/supervision.md, "The dossier"): the page (no
navigation, A4 print CSS, readable on a phone), its PDF (``?format=pdf``, WeasyPrint as
the monthly report) and its Excel workbook (``?format=xlsx``).

Staff of the topic's region or above, and administrators: the dossier spans every
department's findings, so a department's clerk (who sees only their own findings) gets
a 404, as does anyone outside the topic's scope.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from congress.reports import pdf_available, report_pdf
from congress.scoping import get_visible_or_404
from supervision.dossier import Dossier, dossier_workbook, topic_dossier
from supervision.selectors import visible_topics
from supervision.views import staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = "supervision/dossier.html"
# A visit's photos printed in the PDF (the first ones; the page shows them all): an A4
# row holds four, and a dossier of thirty visits stays a file one can mail.
PDF_PHOTOS = 4


def _embedded_photos(dossier: Dossier) -> dict[str, tuple[bytes, str]]:
    """The photos the PDF prints, read from storage by token (the dossier's own rows,
    loaded through the topic's scope); a file missing from storage is left out."""
    images: dict[str, tuple[bytes, str]] = {}
    for row in dossier.visits:
        for photo in row.photos[:PDF_PHOTOS]:
            try:
                with photo.file.open("rb") as stored:
                    images[photo.token] = (stored.read(), photo.content_type)
            except OSError:
                continue
    return images


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def topic_dossier_view(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_visible_or_404(visible_topics(request.user), pk=pk)
    dossier = topic_dossier(request.user, topic)
    wanted = request.GET.get("format", "")
    if wanted == "xlsx":
        return _download(dossier_workbook(dossier), XLSX, f"{dossier.slug}.xlsx")
    context: dict[str, Any] = {
        "dossier": dossier,
        "pdf_available": pdf_available(),
        "pdf_photos": PDF_PHOTOS,
    }
    if wanted == "pdf" and context["pdf_available"]:
        html = render_to_string(TEMPLATE, {**context, "as_pdf": True}, request=request)
        pdf = report_pdf(html, images=_embedded_photos(dossier))
        return _download(pdf, "application/pdf", f"{dossier.slug}.pdf")
    return render(request, TEMPLATE, context)
