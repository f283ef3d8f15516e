"""The evaluation's pages as the cast uses them: staff create (a bad form keeps what was
typed), open, close and publish; a representative scores every department on one page
(a missing score keeps the others), gets the receipt once, cannot score twice; the home
card; the public ranking names no voter; the API; and query counts that do not grow."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import SealedBallot, User
from supervision.evaluation import services
from supervision.models.evaluation import Evaluation
from tests.conftest import World, login
from tests.supervision.evaluation_support import EvalCast, make_cast, make_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world: World, representative_user: User) -> EvalCast:
    return make_cast(world, representative_user)


def _form(cast: EvalCast, **changes: Any) -> dict[str, Any]:
    now = timezone.localtime()
    data = {
        "congress": cast.world.district.congress.pk,
        "title": "2026年度政府部门工作评议",
        "year": 2026,
        "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "departments": [d.pk for d in cast.departments],
        "officials": "王局长，海州区交通运输局局长",
        "criteria": "工作作风 70\n服务质量 30",
    }
    data.update(changes)
    return data


def test_staff_create_an_evaluation_and_a_bad_form_keeps_what_was_typed(
    client: Client, cast: EvalCast, district_staff: User
) -> None:
    login(client, district_staff)
    assert client.get("/evaluations/new/").status_code == 200
    bad = client.post("/evaluations/new/", _form(cast, criteria="工作作风 70\n服务质量 20"))
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "各项评议内容的权重之和须为100，现为90。" in text
    assert "2026年度政府部门工作评议" in text and "服务质量 20" in text and "王局长" in text
    assert not Evaluation.objects.exists()

    done = client.post("/evaluations/new/", _form(cast))
    evaluation = Evaluation.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/evaluations/{evaluation.pk}/"
    assert [(s.kind, s.name, s.post) for s in evaluation.subjects.order_by("order")] == [
        ("department", "海州区交通运输局", ""),
        ("department", "海州区住房和城乡建设局", ""),  # the form lists them by name
        ("department", "海州区水务局", ""),
        ("official", "王局长", "海州区交通运输局局长"),
    ]
    assert list(evaluation.criteria.order_by("order").values_list("name", "weight")) == [
        ("工作作风", 70),
        ("服务质量", 30),
    ]


def _scores_post(evaluation: Evaluation, value: int = 80) -> dict[str, Any]:
    return {f"s{s}-c{c}": value for (s, c) in services.cells_of(evaluation)}


def test_a_representative_scores_on_one_page_and_staff_close_and_publish(
    client: Client, cast: EvalCast, district_staff: User, representative_user: User
) -> None:
    evaluation = make_evaluation(cast.world.district, cast.departments, district_staff)
    login(client, district_staff)
    assert client.post(f"/evaluations/{evaluation.pk}/act/evaluation_open/").status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "open"

    login(client, representative_user)
    home = client.get("/").content.decode()
    assert "card-evaluation" in home and f"/evaluations/{evaluation.pk}/score/" in home
    url = f"/evaluations/{evaluation.pk}/score/"
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('type="number"') == 6  # 3 departments × 2 criteria

    data = _scores_post(evaluation)
    first = next(iter(data))
    missing = client.post(url, {k: ("" if k == first else 77) for k in data})
    assert missing.status_code == 400
    assert "还有1项没有打分或分数不在0至100之间" in missing.content.decode()
    assert missing.content.decode().count('value="77"') == 5  # the others are kept
    assert not SealedBallot.objects.exists()

    done = client.post(url, data)
    assert done.status_code == 200 and 'data-testid="receipt"' in done.content.decode()
    again = client.post(url, data)
    assert again.status_code == 409 and "您已提交评分" in again.content.decode()
    assert SealedBallot.objects.count() == 1

    login(client, district_staff)
    client.post(f"/evaluations/{evaluation.pk}/act/evaluation_close/")
    client.post(f"/evaluations/{evaluation.pk}/act/evaluation_publish/")
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.voted, evaluation.electorate) == ("published", 1, 5)
    assert set(evaluation.subjects.values_list("score", flat=True)) == {Decimal("80.00")}

    public = Client().get(f"/p/evaluations/{evaluation.pk}/")
    assert public.status_code == 200
    text = public.content.decode()
    assert "海州区交通运输局" in text and "80.00" in text
    assert "参评代表 1 人，应评 5 人。" in text
    for name in ("刘红", "张伟", "赵敏"):
        assert name not in text


def test_an_unknown_step_and_a_step_not_allowed_now(
    client: Client, cast: EvalCast, district_staff: User
) -> None:
    evaluation = make_evaluation(cast.world.district, cast.departments, district_staff)
    login(client, district_staff)
    response = client.post(f"/evaluations/{evaluation.pk}/act/evaluation_publish/", follow=True)
    assert "当前状态下不能进行该操作。" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == "draft"
    api = client.post(f"/api/v1/evaluations/{evaluation.pk}/actions/nonsense/")
    assert api.status_code == 400
    api = client.post(f"/api/v1/evaluations/{evaluation.pk}/actions/evaluation_publish/")
    assert api.status_code == 409


def test_the_api_scores_and_answers_results_only_after_the_close(
    client: Client, cast: EvalCast, district_staff: User, representative_user: User
) -> None:
    evaluation = services.evaluation_open(
        evaluation=make_evaluation(cast.world.district, cast.departments, district_staff),
        by=district_staff,
    )
    login(client, representative_user)
    base = f"/api/v1/evaluations/{evaluation.pk}/"
    assert client.get(base + "results/").status_code == 409
    scores = [
        {"subject": s, "criterion": c, "score": 90} for (s, c) in services.cells_of(evaluation)
    ]
    short = client.post(base + "ballot/", {"scores": scores[:-1]}, content_type="application/json")
    assert short.status_code == 400 and short.json()["message"] == "还有1项没有打分。"
    cast_ = client.post(base + "ballot/", {"scores": scores}, content_type="application/json")
    assert cast_.status_code == 201 and len(cast_.json()["receipt"]) == 14
    assert (
        client.post(
            base + "ballot/", {"scores": scores}, content_type="application/json"
        ).status_code
        == 409
    )
    login(client, district_staff)
    closed = client.post(base + "actions/evaluation_close/")
    assert closed.status_code == 200 and closed.json()["voted"] == 1
    results = client.get(base + "results/").json()
    assert [(r["name"], r["score"], r["rank"]) for r in results] == [
        ("海州区交通运输局", "90.00", 1),
        ("海州区水务局", "90.00", 1),
        ("海州区住房和城乡建设局", "90.00", 1),
    ]


def test_lists_and_the_scoring_page_cost_the_same_for_3_rows_and_30(
    client: Client, cast: EvalCast, district_staff: User, representative_user: User
) -> None:
    from tests.factories import DepartmentFactory

    def make(n: int) -> Evaluation:
        last = None
        for _ in range(n):
            last = services.evaluation_open(
                evaluation=make_evaluation(cast.world.district, cast.departments, district_staff),
                by=district_staff,
            )
        assert last is not None
        return last

    counts: dict[tuple[str, str], int] = {}
    for label, more in (("few", 3), ("many", 27)):
        make(more)
        for persona, url in (
            (district_staff, "/evaluations/"),
            (district_staff, "/api/v1/evaluations/"),
            (representative_user, "/evaluations/"),
            (representative_user, "/"),
        ):
            login(client, persona)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[(label, f"{persona.username} {url}")] = len(queries)
    for key in {k for _l, k in counts}:
        assert counts[("few", key)] == counts[("many", key)], key

    # The scoring page: 3 departments or 30, the same queries.
    pages: dict[str, int] = {}
    for n in (3, 30):
        departments = [
            DepartmentFactory(name=f"海州区部门{n}-{i}", region=cast.world.district)
            for i in range(n)
        ]
        evaluation = services.evaluation_open(
            evaluation=make_evaluation(cast.world.district, departments, district_staff),
            by=district_staff,
        )
        login(client, representative_user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/evaluations/{evaluation.pk}/score/").status_code == 200
        pages[f"score {n}"] = len(queries)
        # and the ranking page once closed, and the staff's page of the evaluation
        services.evaluation_close(evaluation=evaluation, by=district_staff)
        services.evaluation_publish(evaluation=evaluation, by=district_staff)
        login(client, district_staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/evaluations/{evaluation.pk}/").status_code == 200
        pages[f"detail {n}"] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(f"/p/evaluations/{evaluation.pk}/").status_code == 200
        pages[f"public {n}"] = len(queries)
    for page in ("score", "detail", "public"):
        assert pages[f"{page} 3"] == pages[f"{page} 30"], page


def test_the_pages_work_in_english(
    client: Client, cast: EvalCast, district_staff: User, representative_user: User
) -> None:
    from django.conf import settings

    evaluation = services.evaluation_open(
        evaluation=make_evaluation(cast.world.district, cast.departments, district_staff),
        by=district_staff,
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, representative_user)
    for url in (
        "/evaluations/",
        f"/evaluations/{evaluation.pk}/",
        f"/evaluations/{evaluation.pk}/score/",
    ):
        response = client.get(url)
        assert response.status_code == 200 and '<html lang="en"' in response.content.decode(), url
    login(client, district_staff)
    for url in ("/evaluations/new/", f"/evaluations/{evaluation.pk}/"):
        response = client.get(url)
        assert response.status_code == 200 and '<html lang="en"' in response.content.decode(), url
    services.evaluation_close(evaluation=evaluation, by=district_staff)
    services.evaluation_publish(evaluation=evaluation, by=district_staff)
    public = Client()
    public.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = public.get(f"/p/evaluations/{evaluation.pk}/")
    assert response.status_code == 200 and '<html lang="en"' in response.content.decode()


def test_the_public_list_of_a_regions_rankings_costs_the_same_for_3_and_30(
    client: Client, cast: EvalCast, district_staff: User, other_district_staff: User
) -> None:
    def publish(region: Any, departments: list[Any], by: User, n: int) -> None:
        for i in range(n):
            evaluation = make_evaluation(region, departments, by, title=f"{region.name}评议{i}")
            services.evaluation_open(evaluation=evaluation, by=by)
            services.evaluation_close(evaluation=evaluation, by=by)
            services.evaluation_publish(evaluation=evaluation, by=by)

    # 临江区's, and 海州区's unpublished one, are not on 海州区's page.
    publish(cast.world.other_district, cast.other_departments, other_district_staff, 1)
    make_evaluation(cast.world.district, cast.departments, district_staff, title="未公布的评议")
    url = f"/p/evaluations/region/{cast.world.district.pk}/"
    counts = []
    for n in (3, 27):
        publish(cast.world.district, cast.departments, district_staff, n)
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    text = response.content.decode()
    assert text.count('href="/p/evaluations/') == 30
    assert "临江区评议" not in text and "未公布的评议" not in text
    assert counts[0] == counts[1]
