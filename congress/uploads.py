"""Checking uploaded files by what they are, not by what they are called.

A citizen's photo arrives from an unknown phone: its name, its extension and
its declared content type are all the client's words. So an image is opened
with Pillow and decoded in full (within a pixel budget: a 50 KB PNG can claim
to be 100,000 × 100,000 pixels and take gigabytes to decode), then redrawn
into a fresh image and encoded again. The copy carries no metadata at all: no
EXIF, no GPS position, no camera serial number, no embedded thumbnail of the
uncropped picture. A PDF is recognised by its magic bytes. Whatever is stored
goes under a random token name; the original name is kept only as a label.
"""

from __future__ import annotations

import io
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A 24-megapixel phone photo is ~6000 × 4000; twice that is still an honest photo.
DEFAULT_MAX_PIXELS = 50_000_000
# Stored photos are scaled down to this longest side: enough to see a pothole,
# small enough that thousands of cases do not fill the disk.
DEFAULT_MAX_SIDE = 2560

# The formats we accept as photos. HEIF (iPhone photos) only when a Pillow plugin
# such as pillow-heif has registered it; otherwise such a file is refused with a
# message that asks for JPEG instead of being stored undecoded.
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "AVIF", "MPO"}

# Set once for the process: Pillow raises DecompressionBombError beyond twice this
# and warns beyond it; we turn the warning into an error as well (below).
Image.MAX_IMAGE_PIXELS = int(getattr(settings, "UPLOAD_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS))


def max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CleanUpload:
    """A checked file, ready to store under ``token + extension``."""

    content: bytes
    extension: str  # with the dot: ".jpg"
    content_type: str
    original_name: str  # a label for people, never a path
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    def as_file(self) -> ContentFile[bytes]:
        return ContentFile(self.content, name=f"{new_token()}{self.extension}")


def new_token() -> str:
    """A random name for a stored file (32 hex characters: unguessable, path-safe)."""
    return secrets.token_hex(16)


def display_name(name: str | None, fallback: str = "file") -> str:
    """The client's file name made safe to show: no path, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable())
    name = re.sub(r"\s+", " ", name).strip(" .")
    return name[:120] or fallback


def _read(upload: UploadedFile, limit: int) -> bytes:
    size = upload.size or 0
    if size > limit:
        raise _too_large(limit)
    upload.seek(0)
    data = upload.read(limit + 1)  # never trust the declared size alone
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise ValidationError(_("文件是空的。"), code="empty")
    return data


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        _("文件太大：每个文件不能超过 %(mb)s MB。"),
        code="too_large",
        params={"mb": round(limit / 1024 / 1024, 1)},
    )


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("无法识别为图片，请上传 JPG、PNG 或 WebP 格式的照片。"), code="not_image"
    )


def _decode(data: bytes, max_side: int) -> Image.Image:
    """Open and fully decode, treating a decompression bomb (warning or error) as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in PHOTO_FORMATS:
                    raise _not_an_image()
                probe.verify()  # structural check before the expensive decode
            image = Image.open(io.BytesIO(data))
            # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale directly: a 50 MP photo
            # then never takes 150 MB of memory just to be scaled down.
            image.draft("RGB", (max_side, max_side))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(
                _("图片尺寸异常（像素过多），请上传普通照片。"), code="image_bomb"
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _not_an_image() from None
    return image


def _redraw(image: Image.Image, max_side: int) -> tuple[Image.Image, bool]:
    """A metadata-free copy, upright and at most ``max_side`` pixels on its longest side."""
    image = ImageOps.exif_transpose(image)  # keep the picture upright once EXIF is gone
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # Built from raw pixels only: nothing of the original's info, EXIF, XMP, ICC
    # or comments can come along, whatever the encoder would otherwise copy.
    fresh = Image.frombytes(image.mode, image.size, image.tobytes())
    return fresh, has_alpha


def clean_image(
    upload: UploadedFile, *, limit: int | None = None, max_side: int = DEFAULT_MAX_SIDE
) -> CleanUpload:
    """Check a photo and return a re-encoded copy without any metadata.

    Raises a translated ``ValidationError`` for a file that is too large, is not
    an image, or is a decompression bomb.
    """
    data = _read(upload, limit or max_bytes())
    image = _decode(data, max_side)
    fresh, has_alpha = _redraw(image, max_side)
    out = io.BytesIO()
    if has_alpha:
        fresh.save(out, format="PNG", optimize=True)
        extension, content_type = ".png", "image/png"
    else:
        fresh.save(out, format="JPEG", quality=85, optimize=True)
        extension, content_type = ".jpg", "image/jpeg"
    return CleanUpload(
        content=out.getvalue(),
        extension=extension,
        content_type=content_type,
        original_name=display_name(upload.name, "photo"),
        width=fresh.width,
        height=fresh.height,
    )


def clean_attachment(upload: UploadedFile, *, limit: int | None = None) -> CleanUpload:
    """A document for a reply: a PDF (by its magic bytes) or a photo (re-encoded)."""
    data = _read(upload, limit or max_bytes())
    if data.startswith(b"%PDF-"):
        return CleanUpload(
            content=data,
            extension=".pdf",
            content_type="application/pdf",
            original_name=display_name(upload.name, "document.pdf"),
        )
    try:
        return clean_image(upload, limit=limit)
    except ValidationError as error:
        if error.code == "not_image":
            raise ValidationError(
                _("只能上传 PDF 文件或 JPG、PNG、WebP 图片。"), code="unsupported"
            ) from None
        raise
