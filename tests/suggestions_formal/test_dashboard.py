"""The dashboard's suggestions panel: the current session's figures, as the session report
counts them (docs/dashboard.md, "代表建议").

The expected numbers are the seeds' (341 suggestions: 286 A, 52 B, 3 C → A 83.87%, 330
answered on time → 96.77%) and the report's rating story (82 ratings: 63 满意, 15 基本满意,
4 不满意 → 95.12%), written here by hand; the dashboard rounds to one decimal.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.areas import area_columns
from congress.models import User
from suggestions.models.formal import Suggestion
from tests.conftest import World, login
from tests.suggestions_formal.conftest import Cast
from tests.suggestions_formal.test_report import _rated_rows, session_of_341  # noqa: F401


def _place(world: World) -> None:
    """Rows written in bulk take the columns the filing service would have set."""
    Suggestion.objects.update(
        **area_columns(world.city), **area_columns(world.village, prefix="origin_area_")
    )


def _panel(client: Client, world: World) -> dict[str, Any]:
    data = client.get(f"/api/v1/dashboard/?region={world.city.pk}").json()
    return next(panel for panel in data["panels"] if panel["key"] == "suggestions")


def test_the_sessions_figures_are_the_reports(
    session_of_341: Cast,  # noqa: F811
    world: World,
    city_staff: User,
    client: Client,
) -> None:
    _place(world)
    Suggestion.objects.filter(number__in=[1, 2]).update(is_key=True)
    login(client, city_staff)
    panel = _panel(client, world)
    figures = {figure["key"]: figure["value"] for figure in panel["figures"]}
    assert figures["received"] == 341
    assert figures["replied"] == 341
    assert figures["a_share"] == 83.9
    assert figures["on_time"] == 96.8
    assert figures["key"] == 2
    assert figures["carried"] == 55  # the 52 B and 3 C
    assert figures["satisfaction"] is None  # nobody rated these rows
    chart = panel["charts"][0]
    assert chart["rows"] == ["A", "B", "C", "D"]
    assert chart["series"][0]["data"] == [286, 52, 3, 0]
    page = client.get(f"/dashboard/?region={world.city.pk}").content.decode()
    assert "代表建议" in page and "83.9%" in page


def test_every_rating_counts_and_the_queries_do_not_grow(
    cast: Cast, world: World, city_staff: User, clerk: User, client: Client
) -> None:
    _rated_rows(cast, world, city_staff, clerk)
    _place(world)
    login(client, city_staff)
    url = f"/api/v1/dashboard/?region={world.city.pk}"
    client.get(url)  # per-process caches warm
    with CaptureQueriesContext(connection) as few:
        panel = _panel(client, world)
    figures = {figure["key"]: figure["value"] for figure in panel["figures"]}
    assert figures["satisfaction"] == 95.1  # (63 + 15) / 82
    assert figures["unsatisfied"] == 4
    Suggestion.objects.bulk_create(  # the session three times as large
        Suggestion(
            title=f"建议{n}",
            content="……",
            category="education",
            session=cast.session,
            congress=cast.session.term.congress,
            lead=cast.lead,
            region=world.village,
            status="registered",
            number=1000 + n,
        )
        for n in range(160)
    )
    _place(world)
    with CaptureQueriesContext(connection) as many:
        _panel(client, world)
    assert len(few) == len(many)


def test_a_region_without_a_congress_session_has_no_suggestions_panel(
    world: World, city_staff: User, client: Client
) -> None:
    login(client, city_staff)
    data = client.get(f"/api/v1/dashboard/?region={world.town.pk}").json()
    assert "suggestions" not in [panel["key"] for panel in data["panels"]]
