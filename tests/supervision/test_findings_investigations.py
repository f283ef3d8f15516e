"""Investigations (调研、视察) of a topic: recorded by its region's staff with a photo that
is re-encoded without metadata and served only to those who see the topic."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from supervision.models.topics import Investigation
from tests.conftest import login
from tests.supervision.findings_support import topic_of

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, format="JPEG")
    return out.getvalue()


def test_staff_record_a_visit_with_a_photo(
    client, world, district_staff, other_district_staff, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    response = client.post(
        reverse("supervision_investigation_create", args=[topic.pk]),
        {
            "held_on": "2026-03-01",
            "place": "新浦街道派出所",
            "method": "unannounced",
            "participants": "张主任、刘红代表",
            "photo": SimpleUploadedFile("现场.jpg", _jpeg(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    visit = Investigation.objects.get()
    assert visit.get_method_display() == "明察暗访"
    photo = visit.photos.get()
    page = client.get(reverse("supervision_topic_detail", args=[topic.pk])).content.decode()
    assert "新浦街道派出所" in page and photo.token in page
    assert (
        client.get(reverse("supervision_investigation_photo", args=[photo.token])).status_code
        == 200
    )
    login(client, other_district_staff)
    assert (
        client.get(reverse("supervision_investigation_photo", args=[photo.token])).status_code
        == 404
    )


def test_a_visit_without_a_place_comes_back_with_what_was_typed(
    client, world, district_staff
) -> None:
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    response = client.post(
        reverse("supervision_investigation_create", args=[topic.pk]),
        {"held_on": "2026-03-01", "place": "", "method": "symposium", "notes": "座谈会记录"},
    )
    assert response.status_code == 400
    assert "座谈会记录" in response.content.decode()
    assert Investigation.objects.count() == 0


def test_a_file_that_is_not_a_photo_is_refused(client, world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    response = client.post(
        reverse("supervision_investigation_create", args=[topic.pk]),
        {
            "held_on": "2026-03-01",
            "place": "派出所",
            "method": "hearing",
            "photo": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert Investigation.objects.count() == 0
