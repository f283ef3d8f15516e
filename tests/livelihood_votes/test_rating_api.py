"""/api/v1/livelihood-ratings/: the staff's steps through actions/<name>/ (an unknown
name 400, a step not allowed now 409, out of scope 404 with nothing changed), the
voter's ballot (an outsider refused with a clear message, nothing recorded), the results
(409 while open) and the public result without voter data."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from congress.models import Elector, User
from congress.models.ballots import Rating
from livelihood_votes.models.ratings import RatingRound
from tests.livelihood_votes.conftest import Cast
from tests.livelihood_votes.test_rating_support import make_cycle, projects_of

S, B, D = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_the_year_end_rating_through_the_api(
    cast: Cast, district_staff: User, other_district_staff: User
) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    a, b, c = projects_of(cycle)
    act = f"/api/v1/livelihood-ratings/cycles/{cycle.pk}/actions/"
    assert _api(other_district_staff).post(act + "open/", {}, format="json").status_code == 404
    assert not RatingRound.objects.exists()
    unknown = _api(district_staff).post(act + "nonsense/", {}, format="json")
    assert unknown.status_code == 400 and "open" in unknown.json()["message"]
    assert _api(district_staff).post(act + "close/", {}, format="json").status_code == 409
    opened = _api(district_staff).post(act + "open/", {}, format="json")
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    rating_id = opened.json()["id"]

    ballot = f"/api/v1/livelihood-ratings/{rating_id}/ballot/"
    marks = {"marks": {str(a.pk): S, str(b.pk): B, str(c.pk): D}}
    refused = _api(district_staff).post(ballot, marks, format="json")
    assert refused.status_code == 403
    assert "测评人名单" in refused.json()["message"]
    assert _api(cast.outsider.user).post(ballot, marks, format="json").status_code == 404
    assert not Elector.objects.filter(
        box__livelihood_rating=rating_id, channel__isnull=False
    ).exists()
    cast_ok = _api(cast.liu.user).post(ballot, marks, format="json")
    assert cast_ok.status_code == 201 and len(cast_ok.json()["receipt"]) == 14

    results = f"/api/v1/livelihood-ratings/{rating_id}/results/"
    assert _api(cast.liu.user).get(results).status_code == 409
    assert _api(district_staff).post(act + "close/", {}, format="json").status_code == 200
    # One voter of ten: 1 满意 < 5 → 不满意 for A; B and C likewise.
    counted = _api(cast.liu.user).get(results).json()
    assert counted["ballots"] == 1
    assert [
        (r["satisfied"], r["basic"], r["dissatisfied"], r["decision"]) for r in counted["results"]
    ] == [
        (1, 0, 0, D),
        (0, 1, 0, D),
        (0, 0, 1, D),
    ]
    public = f"/api/v1/public/livelihood-ratings/{rating_id}/"
    assert _api(None).get(public).status_code == 404
    assert _api(district_staff).post(act + "publish/", {}, format="json").status_code == 200
    shown = _api(None).get(public)
    assert shown.status_code == 200
    assert "刘红" not in shown.content.decode()
    assert shown.json()["results"][0]["project_title"] == a.title


@pytest.mark.django_db
def test_the_list_is_scoped(cast: Cast, district_staff: User, other_district_staff: User) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    _api(district_staff).post(
        f"/api/v1/livelihood-ratings/cycles/{cycle.pk}/actions/open/", {}, format="json"
    )

    def ids(user: User) -> list[int]:
        listed = _api(user).get("/api/v1/livelihood-ratings/").json()["results"]
        return [row["id"] for row in listed]

    rating = RatingRound.objects.get()
    assert ids(district_staff) == [rating.pk]
    assert ids(cast.liu.user) == [rating.pk]
    assert ids(other_district_staff) == []
    assert ids(cast.outsider.user) == []
