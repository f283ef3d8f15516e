"""QR codes (segno) and PDFs (WeasyPrint) for posters and 连心卡 contact cards.

The printed link is the public page's absolute URL with its opaque token. PDFs are
rendered from the same print-ready HTML the browser prints, with every image
inlined as a data URI, so WeasyPrint never fetches anything over the network.
"""

from __future__ import annotations

import base64
import io
import logging
from typing import Any

import segno
from django.conf import settings

logger = logging.getLogger(__name__)


def absolute_public_url(path: str) -> str:
    """The link a QR code carries. Always the public SITE_URL, never the host of the request:
    staff often print from an intranet address that citizens' phones cannot reach."""
    return f"{settings.SITE_URL}{path}"


def qr_svg(url: str, *, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=scale, border=2, xmldecl=False
    )
    return buffer.getvalue()


def qr_png(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


def photo_data_uri(photo: Any) -> str:
    """A stored photo as a data URI for print (uploads have no public URL)."""
    if not photo:
        return ""
    try:
        with photo.open("rb") as handle:
            content = handle.read()
    except OSError:
        return ""
    kind = "png" if content[:4] == b"\x89PNG" else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(content).decode()}"


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the pango system libraries are missing
        return False
    return True


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
