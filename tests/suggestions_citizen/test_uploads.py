"""congress.uploads: files are judged by content, re-encoded without metadata,
stored under random names, and refused with a translated reason."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from congress.uploads import clean_attachment, clean_image, display_name
from tests.suggestions_citizen.conftest import jpeg_bytes


def _upload(data: bytes, name: str = "x.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_jpeg_is_re_encoded_without_exif() -> None:
    clean = clean_image(_upload(jpeg_bytes(gps=True)))
    assert clean.extension == ".jpg" and clean.content_type == "image/jpeg"
    image = Image.open(io.BytesIO(clean.content))
    assert not image.getexif() and "exif" not in image.info


def test_a_png_with_transparency_stays_a_png_without_its_text_chunks() -> None:
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张建国 13812345678")
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG", pnginfo=info)
    clean = clean_image(_upload(out.getvalue(), "a.png"))
    assert clean.extension == ".png"
    assert b"13812345678" not in clean.content and b"Author" not in clean.content


def test_webp_is_accepted() -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "red").save(out, format="WEBP")
    assert clean_image(_upload(out.getvalue(), "a.webp")).extension == ".jpg"


def test_large_photos_are_scaled_down() -> None:
    clean = clean_image(_upload(jpeg_bytes((4000, 3000))), max_side=1000)
    assert max(clean.width or 0, clean.height or 0) == 1000


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_the_size_limit_is_a_setting() -> None:
    with pytest.raises(ValidationError) as error:
        clean_image(_upload(b"x" * 2000))
    assert error.value.code == "too_large"


def test_a_gif_or_svg_is_not_a_photo() -> None:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError) as error:
        clean_image(_upload(out.getvalue(), "a.gif"))
    assert error.value.code == "not_image"
    with pytest.raises(ValidationError):
        clean_image(_upload(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "a.svg"))


def test_a_truncated_image_is_refused() -> None:
    with pytest.raises(ValidationError):
        clean_image(_upload(jpeg_bytes((300, 300))[:200]))


def test_a_pdf_is_recognised_by_its_magic_bytes_not_its_name() -> None:
    clean = clean_attachment(_upload(b"%PDF-1.7\n...\n%%EOF", "reply.exe"))
    assert clean.extension == ".pdf" and clean.content_type == "application/pdf"
    with pytest.raises(ValidationError) as error:
        clean_attachment(_upload(b"PK\x03\x04 a zip", "reply.pdf"))
    assert error.value.code == "unsupported"


def test_names_are_labels_only() -> None:
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\me\\照片 1.jpg") == "照片 1.jpg"
    assert display_name("\x00\x1f") == "file"
