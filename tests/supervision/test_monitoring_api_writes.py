"""Issue #17, "API: all of the above, scoped": the staff read, edit, move and remove the
questions of a campaign's monitoring questionnaire through
``/api/v1/supervision/monitoring-questions/``, as the questionnaire page does and through
its services (``question_update``, ``question_move``, ``question_remove``). Stories with
the real database: 海州区's staff (陈静) change 海州区's questionnaire until its first
answer, then every change is a 400 and nothing moves; 临江区's staff get 404, and so do a
clerk, a committee member and a representative (not staff: the pages' 404 too)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from supervision import monitoring as m
from supervision.models.monitoring import SurveyQuestion
from supervision.models.topics import Topic
from tests.conftest import World, login
from tests.supervision.monitoring_support import answer, campaign_of, point_of, questions_of

pytestmark = pytest.mark.django_db

API = "/api/v1/supervision/monitoring-questions"


def _post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, {} if data is None else data, content_type="application/json")


def _patch(client: Client, url: str, data: Any) -> Any:
    return client.patch(url, data, content_type="application/json")


def _fields(response: Any) -> set[str]:
    """The fields a 400 names (the project's error shape: code, message, errors)."""
    assert response.status_code == 400, response.content
    return set(response.json()["errors"])


def _texts(topic: Topic) -> list[str]:
    rows = SurveyQuestion.objects.filter(questionnaire__topic=topic)
    return list(rows.order_by("position", "pk").values_list("text", flat=True))


def _rows(topic: Topic) -> list[tuple[Any, ...]]:
    rows = SurveyQuestion.objects.filter(questionnaire__topic=topic).order_by("position", "pk")
    return list(rows.values_list("pk", "position", "kind", "text", "options", "required"))


def test_staff_read_edit_move_and_remove_questions(
    client: Client, world: World, district_staff: User
) -> None:
    campaign = campaign_of(world.district, district_staff)
    overall, trips, comment = questions_of(campaign, district_staff)
    login(client, district_staff)

    listed = client.get(f"{API}/", {"topic": campaign.pk})
    assert listed.status_code == 200, listed.content
    assert [(q["id"], q["position"], q["text"]) for q in listed.json()] == [
        (overall.pk, 1, "总体评价"),
        (trips.pk, 2, "办一件事跑几次"),
        (comment.pk, 3, "意见建议"),
    ]
    one = client.get(f"{API}/{trips.pk}/").json()
    assert (one["kind"], one["options"], one["required"]) == (
        "choice",
        "一次办成\n两次\n三次及以上",
        True,
    )

    # 修改: only the text sent; the kind, options and 必答 stay.
    response = _patch(client, f"{API}/{trips.pk}/", {"text": " 办成一件事跑了几次 "})
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "办成一件事跑了几次"
    trips.refresh_from_db()
    assert (trips.text, trips.kind, trips.options, trips.required) == (
        "办成一件事跑了几次",
        "choice",
        "一次办成\n两次\n三次及以上",
        True,
    )
    # A free text made a single choice, optional still: its options cleaned as on the page.
    response = _patch(
        client, f"{API}/{comment.pk}/", {"kind": "choice", "options": "有\n\n 没有 \n"}
    )
    assert response.status_code == 200, response.content
    comment.refresh_from_db()
    assert (comment.kind, comment.options, comment.required) == ("choice", "有\n没有", False)

    # 上移 / 下移: the answer is the questionnaire in its new order.
    response = _post(client, f"{API}/{comment.pk}/move/", {"move": "up"})
    assert response.status_code == 200, response.content
    assert [q["id"] for q in response.json()] == [overall.pk, comment.pk, trips.pk]
    assert [q["position"] for q in response.json()] == [1, 2, 3]
    response = _post(client, f"{API}/{overall.pk}/move/", {"move": "down"})
    assert [q["id"] for q in response.json()] == [comment.pk, overall.pk, trips.pk]
    # The first one up stays where it is, as on the page.
    response = _post(client, f"{API}/{comment.pk}/move/", {"move": "up"})
    assert response.status_code == 200
    assert _texts(campaign) == ["意见建议", "总体评价", "办成一件事跑了几次"]

    # 删除
    assert client.delete(f"{API}/{overall.pk}/").status_code == 204
    assert _texts(campaign) == ["意见建议", "办成一件事跑了几次"]
    assert client.get(f"{API}/{overall.pk}/").status_code == 404


def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(
    client: Client, world: World, district_staff: User
) -> None:
    campaign = campaign_of(world.district, district_staff)
    overall, trips, _comment = questions_of(campaign, district_staff)
    before = _rows(campaign)
    login(client, district_staff)
    assert _fields(_patch(client, f"{API}/{trips.pk}/", {"kind": "poll"})) == {"kind"}
    assert _fields(_patch(client, f"{API}/{trips.pk}/", {"text": ""})) == {"text"}
    assert _fields(_patch(client, f"{API}/{trips.pk}/", {"text": "长" * 201})) == {"text"}
    # The service's rule: a single choice needs two options.
    response = _patch(client, f"{API}/{overall.pk}/", {"kind": "choice", "options": "只有一个"})
    assert response.status_code == 400
    assert response.json()["message"] == "单选题至少要有两个选项，每行一个。"
    assert _fields(_post(client, f"{API}/{trips.pk}/move/", {"move": "sideways"})) == {"move"}
    assert _fields(_post(client, f"{API}/{trips.pk}/move/", {})) == {"move"}
    assert _patch(client, f"{API}/{trips.pk}/", [1]).status_code == 400
    # A list needs its topic.
    assert _fields(client.get(f"{API}/")) == {"topic"}
    assert _fields(client.get(f"{API}/", {"topic": "总体"})) == {"topic"}
    assert _rows(campaign) == before


def test_once_answered_the_questions_stay_as_they_are(
    client: Client, world: World, district_staff: User
) -> None:
    campaign = campaign_of(world.district, district_staff)
    questions = questions_of(campaign, district_staff)
    answer(point_of(campaign, district_staff), questions, satisfaction=0, trips=0)
    before = _rows(campaign)
    overall, trips, comment = questions
    login(client, district_staff)
    refusals = [
        _patch(client, f"{API}/{overall.pk}/", {"text": "总体评价（改）"}),
        _post(client, f"{API}/{trips.pk}/move/", {"move": "up"}),
        client.delete(f"{API}/{comment.pk}/"),
    ]
    for response in refusals:
        assert response.status_code == 400, response.content
        assert response.json()["message"] == "问卷已有答卷，题目不能再修改。"
    assert _rows(campaign) == before
    # Still read.
    assert len(client.get(f"{API}/", {"topic": campaign.pk}).json()) == 3


def test_another_district_and_the_wrong_role_are_404_and_change_nothing(
    client: Client,
    world: World,
    district_staff: User,
    other_district_staff: User,
    clerk: User,
    committee_member: User,
    representative_user: User,
) -> None:
    """临江区's staff cannot reach 海州区's questions (404, not "forbidden": outside their
    scope); a clerk, a committee member and a representative are not staff (404)."""
    campaign = campaign_of(world.district, district_staff)
    overall, trips, _comment = questions_of(campaign, district_staff)
    before = _rows(campaign)
    for user in (other_district_staff, clerk, committee_member, representative_user):
        login(client, user)
        assert client.get(f"{API}/", {"topic": campaign.pk}).status_code == 404, user
        assert client.get(f"{API}/{overall.pk}/").status_code == 404, user
        assert _patch(client, f"{API}/{overall.pk}/", {"text": "越界"}).status_code == 404, user
        assert _post(client, f"{API}/{trips.pk}/move/", {"move": "up"}).status_code == 404, user
        assert client.delete(f"{API}/{overall.pk}/").status_code == 404, user
    client.logout()
    assert client.get(f"{API}/", {"topic": campaign.pk}).status_code == 401
    assert _patch(client, f"{API}/{overall.pk}/", {"text": "越界"}).status_code == 401
    assert _post(client, f"{API}/{trips.pk}/move/", {"move": "up"}).status_code == 401
    assert client.delete(f"{API}/{overall.pk}/").status_code == 401
    assert _rows(campaign) == before


def test_city_staff_change_a_district_questionnaire(
    client: Client, world: World, district_staff: User, city_staff: User
) -> None:
    campaign = campaign_of(world.district, district_staff)
    overall, _trips, _comment = questions_of(campaign, district_staff)
    login(client, city_staff)
    response = _patch(client, f"{API}/{overall.pk}/", {"required": False})
    assert response.status_code == 200, response.content
    overall.refresh_from_db()
    assert (overall.text, overall.required) == ("总体评价", False)


def test_reads_and_writes_cost_the_same_for_3_and_30_questions(
    client: Client, world: World, district_staff: User
) -> None:
    """Listing reads the topic and its questions; a change reads the question and its
    questionnaire; moving rewrites the two positions that changed."""
    campaign = campaign_of(world.district, district_staff)
    login(client, district_staff)

    def costs(n: int) -> list[int]:
        while SurveyQuestion.objects.filter(questionnaire__topic=campaign).count() < n:
            count = SurveyQuestion.objects.filter(questionnaire__topic=campaign).count()
            m.question_add(topic=campaign, kind="text", text=f"题目{count}", by=district_staff)
        rows = list(
            SurveyQuestion.objects.filter(questionnaire__topic=campaign).order_by("position")
        )
        middle = rows[1]  # moved up past the first; the last removed (no gap left)
        figures = []
        for request in (
            lambda: client.get(f"{API}/", {"topic": campaign.pk}),
            lambda: _patch(client, f"{API}/{middle.pk}/", {"text": f"改{n}"}),
            lambda: _post(client, f"{API}/{middle.pk}/move/", {"move": "up"}),
            lambda: client.delete(f"{API}/{rows[-1].pk}/"),
        ):
            with CaptureQueriesContext(connection) as queries:
                response = request()
            assert response.status_code in (200, 204), response.content
            figures.append(len(queries))
        return figures

    assert costs(3) == costs(30)


def test_staff_set_the_introduction_until_the_first_answer(
    client: Client, world: World, district_staff: User, other_district_staff: User
) -> None:
    """问卷说明 through ``POST /api/v1/supervision/topics/{id}/questionnaire/intro/``: the
    words the public page shows above the questions; another district's staff get 404;
    once someone answered, a 400 and the words stay."""
    campaign = campaign_of(world.district, district_staff)
    questions = questions_of(campaign, district_staff)
    url = f"/api/v1/supervision/topics/{campaign.pk}/questionnaire/intro/"

    login(client, other_district_staff)
    assert _post(client, url, {"intro": "别处的说明"}).status_code == 404

    login(client, district_staff)
    response = _post(client, url, {"intro": " 本问卷匿名填写，约需两分钟。 "})
    assert response.status_code == 200, response.content
    assert response.json() == {"intro": "本问卷匿名填写，约需两分钟。"}
    assert m.questionnaire_of(campaign).intro == "本问卷匿名填写，约需两分钟。"
    assert _post(client, url, ["不是对象"]).status_code == 400

    answer(point_of(campaign, district_staff), questions, satisfaction=0, trips=0)
    refused = _post(client, url, {"intro": "改过的说明"})
    assert refused.status_code == 400
    assert refused.json()["message"] == "问卷已有答卷，题目不能再修改。"
    assert m.questionnaire_of(campaign).intro == "本问卷匿名填写，约需两分钟。"
