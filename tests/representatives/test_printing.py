"""Staff print an A4 station poster and a sheet of 连心卡 contact cards (HTML and PDF)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from congress.models import User
from representatives.models import Representative, Station
from representatives.printing import pdf_available
from tests.conftest import World, login
from tests.representatives.factories import RepresentativeFactory, seat, station_with


def test_the_poster_carries_the_stations_qr_code(
    client: Client, station: Station, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.get(f"/stations/{station.pk}/poster/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "新浦街道人大代表联络站" in body and "data:image/svg+xml" in body
    assert station.get_public_url() in body
    assert "@media print" in body


def test_a_sheet_puts_ten_cards_on_a_page(
    client: Client, world: World, district_staff: User
) -> None:
    reps = [RepresentativeFactory(region=world.village) for _n in range(12)]
    for rep in reps:
        seat(rep, world.district)
    station = station_with(world.town, reps)
    login(client, district_staff)
    body = client.get(f"/stations/{station.pk}/cards/").content.decode()
    assert body.count('data-testid="contact-card"') == 12
    assert body.count('class="sheet cards"') == 2
    # Each card's QR code points at that representative's own page.
    assert len(set(re.findall(r'class="qr" src="([^"]+)"', body))) == 12


def test_cards_for_a_filtered_list(
    client: Client,
    world: World,
    representative: Representative,
    far_representative: Representative,
    city_staff: User,
) -> None:
    login(client, city_staff)
    body = client.get(f"/representatives/cards/?region={world.district.pk}").content.decode()
    assert "刘红" in body and "孙悦" not in body


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint or its system libraries missing")
def test_pdf_versions(client: Client, station: Station, district_staff: User) -> None:
    login(client, district_staff)
    for url in (
        f"/stations/{station.pk}/poster/?format=pdf",
        f"/stations/{station.pk}/cards/?format=pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content[:5] == b"%PDF-"


def test_print_pages_are_for_staff_of_that_region(
    client: Client, station: Station, other_district_staff: User, representative_user: User
) -> None:
    login(client, other_district_staff)
    assert client.get(f"/stations/{station.pk}/poster/").status_code == 404
    login(client, representative_user)
    assert client.get(f"/stations/{station.pk}/cards/").status_code == 404
