"""The demo's department evaluation: the city's representatives (180 of them) score 25
departments online, through the services and the core's sealed ballots; it is closed and
published; rep_liu's county has one open, on rep_liu's home page."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.utils import timezone

from congress.demo import build_core
from congress.models import PublishedBallot, SealedBallot, User
from congress.registry import demo_builders
from supervision.models.evaluation import Evaluation


@pytest.mark.django_db
def test_the_demo_evaluation_of_25_departments_by_180_representatives(client: Client) -> None:
    ctx = build_core(seed=2026, today=timezone.localdate(), scale=1.0)
    by_name = {builder.name: builder for builder in demo_builders}
    by_name["representatives"].build(ctx)
    started = time.monotonic()
    by_name["department evaluation"].build(ctx)
    elapsed = time.monotonic() - started
    print(f"department evaluation demo: {elapsed:.1f} s")

    city = Evaluation.objects.get(congress__region=ctx.city)
    assert city.status == "published"
    assert city.voted == 180 and city.electorate >= 180
    assert city.subjects.count() == 25 and city.criteria.count() == 4
    assert PublishedBallot.objects.filter(box=city.box_id).count() == 180
    assert not SealedBallot.objects.filter(box=city.box_id).exists()
    ranks = sorted(city.subjects.values_list("rank", flat=True))
    assert ranks[0] == 1 and None not in ranks
    public = Client().get(f"/p/evaluations/{city.pk}/")
    assert public.status_code == 200 and "参评代表 180 人" in public.content.decode()

    open_one = Evaluation.objects.get(status="open")
    client.force_login(User.objects.get(username="rep_liu"))
    home = client.get("/").content.decode()
    assert f"/evaluations/{open_one.pk}/score/" in home
