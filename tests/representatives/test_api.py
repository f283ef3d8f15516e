"""The API: scoped like the pages, filterable, and documented in the OpenAPI schema."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from congress.models import User
from representatives.models import DutyShift, Representative, Station
from tests.conftest import World, login


def test_the_schema_documents_our_endpoints_without_warnings(
    client: Client, db: None, recwarn: object, settings: Any
) -> None:
    from drf_spectacular.drainage import GENERATOR_STATS

    settings.API_DOCS_PUBLIC = True  # production asks a login (tests/security/test_api_tokens.py)
    GENERATOR_STATS.reset()
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/representatives/",
        "/api/v1/stations/",
        "/api/v1/duty-shifts/",
        "/api/v1/contact-logs/",
        "/api/v1/points/ranking/",
        "/api/v1/grid-assignments/",
        "/api/v1/activities/",
        "/api/v1/mandates/",
    ):
        assert path in paths
    ours = [str(w) for w in GENERATOR_STATS._warn_cache if "representatives" in str(w)]
    ours += [str(e) for e in GENERATOR_STATS._error_cache if "representatives" in str(e)]
    assert not ours, ours


def test_stations_filter_by_level_and_region(
    client: Client, world: World, station: Station, city_staff: User
) -> None:
    login(client, city_staff)
    rows = client.get("/api/v1/stations/?level=township").json()["results"]
    assert [row["name"] for row in rows] == ["新浦街道人大代表联络站"]
    assert client.get("/api/v1/stations/?level=city").json()["count"] == 0
    assert client.get(f"/api/v1/stations/?region={world.other_district.pk}").json()["count"] == 0


def test_staff_schedule_through_the_api_and_non_stationed_is_refused(
    client: Client,
    station: Station,
    representative: Representative,
    far_representative: Representative,
    district_staff: User,
) -> None:
    login(client, district_staff)
    day = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    ok = client.post(
        "/api/v1/duty-shifts/",
        {
            "station": station.pk,
            "representative": representative.pk,
            "date": day,
            "start_time": "09:00",
            "end_time": "11:00",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    refused = client.post(
        "/api/v1/duty-shifts/",
        {
            "station": station.pk,
            "representative": far_representative.pk,
            "date": day,
            "start_time": "09:00",
            "end_time": "11:00",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "rule_violation"
    shift = DutyShift.objects.get()
    swap = client.post(
        f"/api/v1/duty-shifts/{shift.pk}/transition/",
        {"action": "take_leave", "reason": "出差"},
        content_type="application/json",
    )
    assert swap.status_code == 200 and swap.json()["status"] == "on_leave"


def test_objects_outside_scope_are_404(
    client: Client, station: Station, other_district_staff: User
) -> None:
    login(client, other_district_staff)
    assert client.get(f"/api/v1/stations/{station.pk}/").status_code == 404
    assert client.get("/api/v1/station-members/").json()["count"] == 0


def test_a_representative_cannot_write_the_registry(
    client: Client, world: World, representative_user: User, representative: Representative
) -> None:
    login(client, representative_user)
    response = client.post(
        "/api/v1/stations/",
        {"name": "x", "kind": "point", "region": world.village.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Station.objects.exists()


def test_an_activity_in_year_12_is_refused_with_a_message(
    client: Client, world: World, district_staff: User
) -> None:
    # Found by the fuzzer: Asia/Shanghai before 1901 has an offset of
    # +08:05:43, which the API then wrote out as an invalid date-time.
    login(client, district_staff)
    data = {"title": "集中视察", "kind": "theme", "region": world.district.pk}
    refused = client.post("/api/v1/activities/", {**data, "starts_at": "0012-02-18T00:23:00Z"})
    assert refused.status_code == 400
    assert refused.json()["errors"]["starts_at"] == ["日期应在 2000 年至 2099 年之间。"]
    accepted = client.post(
        "/api/v1/activities/", {**data, "starts_at": "2026-12-18T09:00:00+08:00"}
    )
    assert accepted.status_code == 201, accepted.json()
