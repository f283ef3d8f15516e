"""The citizen channel's cast, on top of the shared personas (tests/conftest.py).

刘红 (``representative``, the ``representative_user`` persona) is a township
representative stationed at 桃园社区代表联络站 in 海州区 and responsible for the
桃园社区第1网格. 孙伟 (``other_representative``) serves 临江区. A citizen has no
account: they are the test client without a login, holding a tracking link.
"""

from __future__ import annotations

import datetime
import io
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from congress.models import CongressLevel, Region, RegionLevel, User
from representatives.models import (
    GridAssignment,
    Mandate,
    MandateStatus,
    Representative,
    Station,
    StationKind,
    StationMember,
)
from suggestions.citizen import services
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.conftest import World
from tests.factories import RegionFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_media(tmp_path: Any) -> Iterator[None]:
    # Rate-limit counters live in the cache; uploads in MEDIA_ROOT. Neither may leak.
    cache.clear()
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield
    cache.clear()


@pytest.fixture
def categories(db: None) -> dict[str, IssueCategory]:
    services.categories_ensure_defaults()
    return {c.code: c for c in IssueCategory.objects.all()}


def make_representative(name: str, region: Region, user: User | None = None) -> Representative:
    rep = Representative.objects.create(name=name, gender="female", region=region, user=user)
    Mandate.objects.create(
        representative=rep,
        level=CongressLevel.TOWNSHIP,
        starts_on=datetime.date(2021, 12, 10),
        status=MandateStatus.ACTIVE,
    )
    return rep


@pytest.fixture
def representative(world: World, representative_user: User) -> Representative:
    rep = make_representative("刘红", world.village, representative_user)
    GridAssignment.objects.create(representative=rep, grid=world.grid)
    return rep


@pytest.fixture
def station(world: World, representative: Representative) -> Station:
    station = Station.objects.create(
        name="桃园社区代表联络站", kind=StationKind.STATION, region=world.village
    )
    StationMember.objects.create(station=station, representative=representative, role="head")
    return station


@pytest.fixture
def other_representative(world: World) -> Representative:
    user = User.objects.create_user(username="sunwei", display_name="孙伟", password="x" * 12)
    village = RegionFactory(name="江边社区", level=RegionLevel.VILLAGE, parent=world.other_district)
    return make_representative("孙伟", village, user)


def jpeg_bytes(size: tuple[int, int] = (64, 48), *, gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps_ifd = {1: "N", 2: (31.0, 12.0, 30.0), 3: "E", 4: (121.0, 28.0, 10.0)}
        exif[0x8825] = gps_ifd
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def photo(name: str = "pothole.jpg", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def submit(
    *,
    station: Station | None = None,
    category: IssueCategory,
    description: str = "幸福路路口有个大坑，电动车经过很危险",
    mobile: str = "13812345678",
    key: uuid.UUID | None = None,
    **extra: Any,
) -> CitizenIssue:
    """A citizen's submission through the service (the HTML and API call the same)."""
    region = extra.pop("region", None) or (station.region if station else None)
    submission = services.Submission(
        category=category,
        description=description,
        region=region,
        station=station,
        mobile=mobile,
        citizen_name=extra.pop("citizen_name", "张建国"),
        consent=True,
        **extra,
    )
    issue, _created = services.citizen_issue_submit(
        submission=submission, idempotency_key=key or uuid.uuid4()
    )
    return issue


def form_data(station: Station, kind: IssueCategory, /, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "idempotency_key": str(uuid.uuid4()),
        "station": station.public_token,
        "category": str(kind.pk),
        "description": "小区门口路灯坏了一个多月，晚上很黑",
        "address": "桃园路18号门口",
        "citizen_name": "张建国",
        "mobile": "13812345678",
        "public_anonymous": "on",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
