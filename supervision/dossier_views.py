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
from supervision.dossier import dossier_workbook, topic_dossier
from supervision.selectors import visible_topics
from supervision.views import staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = "supervision/dossier.html"


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
    context: dict[str, Any] = {"dossier": dossier, "pdf_available": pdf_available()}
    if wanted == "pdf" and context["pdf_available"]:
        html = render_to_string(TEMPLATE, {**context, "as_pdf": True}, request=request)
        return _download(report_pdf(html), "application/pdf", f"{dossier.slug}.pdf")
    return render(request, TEMPLATE, context)
