"""A citizen scans a station's poster: who represents them, how to reach them, when."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import path
from django.utils import timezone

from congress.models import User
from representatives import services
from representatives.models import Representative, Station, VoterEvaluation
from tests.conftest import World
from tests.representatives.factories import RepresentativeFactory, seat, station_with


def test_the_station_page_shows_its_representatives_without_login(
    client: Client, station: Station, representative: Representative
) -> None:
    response = client.get(f"/s/{station.public_token}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "新浦街道人大代表联络站" in body
    assert "刘红" in body and "张伟" in body
    assert "县级" in body and "乡镇级" in body
    # 刘红 publishes her phone; 张伟 lets the station pass messages on.
    assert "tel:13900000001" in body
    assert "0518-80000000" in body


def test_the_page_is_reached_by_token_not_by_id(client: Client, station: Station) -> None:
    assert client.get(f"/s/{station.pk}/").status_code == 404


def test_only_published_shifts_are_shown(
    client: Client, station: Station, representative: Representative, district_staff: User
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.duty_shift_create(
        station=station,
        representative=representative,
        date=tomorrow,
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        by=district_staff,
    )
    body = client.get(f"/s/{station.public_token}/").content.decode()
    assert "近期接待安排尚未公示" in body
    services.duty_schedule_publish(station=station, until=tomorrow, by=district_staff)
    body = client.get(f"/s/{station.public_token}/").content.decode()
    assert "09:00–11:00" in body


@pytest.mark.parametrize("count", [5, 30])
def test_query_count_does_not_grow_with_the_representatives(
    client: Client,
    world: World,
    district_staff: User,
    count: int,
    django_assert_max_num_queries: object,
) -> None:
    reps = [RepresentativeFactory(region=world.village) for _n in range(count)]
    for rep in reps:
        seat(rep, world.district)
        seat(rep, world.town)
    station = station_with(world.town, reps)
    day = timezone.localdate() + datetime.timedelta(days=1)
    for rep in reps[:10]:
        services.duty_shift_create(
            station=station,
            representative=rep,
            date=day,
            start_time=datetime.time(9),
            end_time=datetime.time(11),
            by=district_staff,
            publish=True,
        )
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        response = client.get(f"/s/{station.public_token}/")
    assert response.content.decode().count('data-testid="public-rep"') == count


def test_a_rotated_token_opens_a_friendly_replaced_page(
    client: Client, station: Station, district_staff: User
) -> None:
    old = station.public_token
    services.station_rotate_token(station=station, by=district_staff)
    response = client.get(f"/s/{old}/")
    body = response.content.decode()
    assert response.status_code == 410
    assert "这个二维码已经停用" in body
    assert "Traceback" not in body and station.name not in body
    assert client.get(f"/s/{station.public_token}/").status_code == 200
    assert client.get(f"/qr/s/{old}.svg").status_code == 404


def test_an_unknown_token_is_a_friendly_404(client: Client, db: None) -> None:
    response = client.get("/s/not-a-real-token/")
    assert response.status_code == 404
    assert "没有找到这个页面" in response.content.decode()


def test_a_rotated_representative_card(
    client: Client, representative: Representative, district_staff: User
) -> None:
    old = representative.public_token
    assert client.get(f"/r/{old}/").status_code == 200
    services.representative_rotate_token(representative=representative, by=district_staff)
    assert client.get(f"/r/{old}/").status_code == 410
    assert client.get(f"/r/{representative.public_token}/").status_code == 200


def test_qr_codes_in_svg_and_png(client: Client, station: Station) -> None:
    svg = client.get(f"/qr/s/{station.public_token}.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(f"/qr/s/{station.public_token}.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"


def test_buttons_are_hidden_until_the_suggestions_flows_exist(
    client: Client, station: Station
) -> None:
    body = client.get(f"/s/{station.public_token}/").content.decode()
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("citizen_issue_new")
    except NoReverseMatch:
        assert 'data-testid="btn-issue"' not in body
    else:
        assert f"station={station.public_token}" in body


urlpatterns = [
    path("issues/new/", lambda request: None, name="citizen_issue_new"),
    path("appointments/new/", lambda request: None, name="appointment_new"),
]


def test_buttons_link_to_the_flows_with_the_station_token(
    client: Client, station: Station, settings: object
) -> None:
    from congress import urls as project_urls

    settings.ROOT_URLCONF = type(
        "urls",
        (),
        {  # type: ignore[attr-defined]
            "urlpatterns": project_urls.urlpatterns + urlpatterns
        },
    )
    from django.urls import reverse

    body = client.get(f"/s/{station.public_token}/").content.decode()
    issue = reverse("citizen_issue_new", urlconf=settings.ROOT_URLCONF)  # type: ignore[attr-defined]
    meeting = reverse("appointment_new", urlconf=settings.ROOT_URLCONF)  # type: ignore[attr-defined]
    assert f'href="{issue}?station={station.public_token}"' in body
    assert f'href="{meeting}?station={station.public_token}"' in body


def test_voters_evaluate_a_stationed_representative(
    client: Client, station: Station, representative: Representative
) -> None:
    url = f"/s/{station.public_token}/evaluate/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"representative": representative.pk, "rating": "satisfied"})
    assert response.status_code == 200 and "感谢您的评议" in response.content.decode()
    evaluation = VoterEvaluation.objects.get()
    assert (evaluation.representative, evaluation.rating) == (representative, "satisfied")


def test_evaluations_are_rate_limited(
    client: Client, station: Station, representative: Representative, settings: object
) -> None:
    settings.EVALUATION_RATE_LIMIT_COUNT = 2  # type: ignore[attr-defined]
    url = f"/s/{station.public_token}/evaluate/"
    data = {"representative": representative.pk, "rating": "basically"}
    statuses = [client.post(url, data).status_code for _n in range(3)]
    assert statuses == [200, 200, 429]
    assert VoterEvaluation.objects.count() == 2


def test_a_non_stationed_representative_cannot_be_rated(
    client: Client, station: Station, far_representative: Representative
) -> None:
    url = f"/s/{station.public_token}/evaluate/"
    client.post(url, {"representative": far_representative.pk, "rating": "unsatisfied"})
    assert not VoterEvaluation.objects.exists()
