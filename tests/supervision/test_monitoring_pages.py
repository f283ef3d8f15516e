"""The pages of monitoring points: the staff's lists, forms and results (scoped, bad
input kept), the public QR questionnaire (CSRF, rate limit, a double tap stored once, a
friendly closed page, nothing personal), the aggregated Excel, the API, and lists whose
cost does not grow with their rows."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision import monitoring as m
from supervision.models.monitoring import MonitoringPoint, PointKind, QuestionnaireResponse
from supervision.models.topics import Finding
from tests.conftest import login
from tests.supervision.monitoring_support import (
    answer,
    campaign_of,
    point_of,
    questionnaire_of,
    questions_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world, district_staff):
    return campaign_of(world.district, district_staff)


@pytest.fixture
def point(campaign, district_staff):
    return point_of(campaign, district_staff)


@pytest.fixture
def questions(campaign, district_staff):
    return questions_of(campaign, district_staff)


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- staff pages ----------------------------------------------------------------------------


def test_staff_add_points_and_see_the_answers_per_point(
    client, world, campaign, questions, district_staff
) -> None:
    login(client, district_staff)
    response = client.post(
        reverse("monitoring_point_create", args=[campaign.pk]),
        {"name": "区政务服务中心", "kind": "survey", "region": world.town.pk},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("monitoring_points_bulk", args=[campaign.pk]),
        {"lines": "海达食品股份有限公司, 联系点, 990102001000\n城东建材市场, 观察点, 990102000000"},
    )
    assert response.status_code == 302
    hall = MonitoringPoint.objects.get(name="区政务服务中心")
    answer(hall, questions, 0, 0)
    answer(hall, questions, 1, 1)
    page = client.get(reverse("monitoring_points", args=[campaign.pk])).content.decode()
    assert page.count('data-testid="point-row"') == 3
    assert "答卷 2" in page and hall.token in page


def test_a_bad_paste_keeps_the_lines_and_names_the_bad_one(
    client, campaign, district_staff
) -> None:
    login(client, district_staff)
    lines = "海达食品股份有限公司, 联系点, 990102001000\n临江企业, 联系点, 990103000000"
    response = client.post(reverse("monitoring_points_bulk", args=[campaign.pk]), {"lines": lines})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第2行" in page and "海达食品股份有限公司" in page
    assert MonitoringPoint.objects.count() == 0


def test_a_point_form_without_a_name_keeps_what_was_typed(client, world, campaign, district_staff):
    login(client, district_staff)
    response = client.post(
        reverse("monitoring_point_create", args=[campaign.pk]),
        {"name": "", "kind": "observation", "region": world.town.pk},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="observation" selected' in page and "invalid-feedback" in page


def test_staff_write_the_questionnaire_until_its_first_answer(
    client, campaign, point, district_staff
) -> None:
    login(client, district_staff)
    url = reverse("monitoring_questionnaire", args=[campaign.pk])
    response = client.post(url, {"kind": "choice", "text": "跑几次", "options": "只有一个"})
    assert response.status_code == 400
    assert "跑几次" in response.content.decode() and "两个选项" in response.content.decode()
    client.post(url, {"kind": "satisfaction", "text": "总体评价", "required": "on"})
    client.post(url, {"kind": "text", "text": "临时题"})
    client.post(url, {"intro_form": "1", "intro": "问卷匿名。"})
    questionnaire = questionnaire_of(campaign)
    spare = questionnaire.questions.get(text="临时题")
    client.post(reverse("monitoring_question_change", args=[spare.pk]), {"move": "up"})
    assert [q.text for q in m.questions_of(questionnaire)] == ["临时题", "总体评价"]
    client.post(reverse("monitoring_question_change", args=[spare.pk]), {"remove": "1"})
    assert questionnaire.intro == "问卷匿名。"
    (question,) = m.questions_of(questionnaire)
    m.response_submit(point=point, raw={question.pk: "0"}, idempotency_key=uuid.uuid4())
    page = client.get(url).content.decode()
    assert (
        'data-testid="questionnaire-frozen"' in page and 'data-testid="question-form"' not in page
    )
    response = client.post(url, {"kind": "text", "text": "新题"})
    assert response.status_code == 400 and "题目不能再修改" in response.content.decode()
    response = client.post(
        reverse("monitoring_question_change", args=[question.pk]), {"remove": "1"}
    )
    assert response.status_code == 302
    assert m.questions_of(questionnaire) == [question]


def test_another_districts_staff_and_a_clerk_get_404(
    client, campaign, point, questions, other_district_staff, clerk
) -> None:
    answer(point, questions, 0, 0, "窗口排队时间长")
    written = m.text_answers(questionnaire_of(campaign)).get()
    for user in (other_district_staff, clerk):
        login(client, user)
        for url in (
            reverse("monitoring_points", args=[campaign.pk]),
            reverse("monitoring_results", args=[campaign.pk]),
            reverse("monitoring_texts", args=[campaign.pk]),
            reverse("monitoring_answer_finding", args=[written.pk]),
            reverse("monitoring_point_qr", args=[point.pk, "svg"]),
        ):
            assert client.get(url).status_code == 404, url
        response = client.post(reverse("monitoring_point_active", args=[point.pk]), {"active": "0"})
        assert response.status_code == 404
    point.refresh_from_db()
    assert point.is_active


def test_results_show_counts_and_the_satisfaction_share(
    client, campaign, point, questions, district_staff
) -> None:
    for satisfaction in (0, 0, 1, 2):  # 满意 2, 基本满意 1, 不满意 1: 75.0 % satisfied
        answer(point, questions, satisfaction, 0)
    login(client, district_staff)
    page = client.get(reverse("monitoring_results", args=[campaign.pk])).content.decode()
    assert "共 4 份答卷" in page
    assert "50.0%" in page and "25.0%" in page and "<strong>75.0%</strong>" in page


def test_each_point_and_each_kind_of_point_shows_its_satisfaction_rate(
    client, campaign, questions, district_staff
) -> None:
    """The market (a survey point): 满意, 基本满意, 不满意, 不满意 → 2 of 4, 50.0 %. The
    factory (a contact point): 满意, 满意, 基本满意 → 3 of 3, 100.0 %. The hall (another
    survey point): 不满意 → 0 of 1, 0.0 %. Survey points together: 2 of 5, 40.0 %."""
    market = point_of(campaign, district_staff)
    factory = point_of(campaign, district_staff, "江海精密机械有限公司", PointKind.CONTACT)
    hall = point_of(campaign, district_staff, "区政务服务中心")
    for where, marks in ((market, (0, 1, 2, 2)), (factory, (0, 0, 1)), (hall, (2,))):
        for mark in marks:
            answer(where, questions, mark, 0)
    login(client, district_staff)
    page = client.get(reverse("monitoring_points", args=[campaign.pk])).content.decode()
    rows = page.split('data-testid="point-row"')[1:]
    shares = {
        name: row.split('data-testid="point-satisfied"')[1].split("满意率 ")[1].split("%")[0]
        for row in rows
        for name in ("新浦农贸市场", "江海精密机械有限公司", "区政务服务中心")
        if name in row
    }
    assert shares == {
        "新浦农贸市场": "50.0",
        "江海精密机械有限公司": "100.0",
        "区政务服务中心": "0.0",
    }

    results = client.get(reverse("monitoring_results", args=[campaign.pk])).content.decode()
    kinds = [
        [cell.split(">", 1)[1] for cell in row.split("</td>")[:4]]
        for row in results.split('data-testid="kind-row">')[1:]
    ]
    assert kinds == [["联系点", "3", "3", "100.0%"], ["调查点", "5", "2", "40.0%"]]


def test_the_workbook_holds_the_aggregates_and_no_written_answer(
    client, campaign, point, questions, district_staff
) -> None:
    from openpyxl import load_workbook

    answer(point, questions, 0, 2, "张三 13800000000 反映检查太多")
    answer(point, questions, 2, 2)
    login(client, district_staff)
    response = client.get(reverse("monitoring_results_xlsx", args=[campaign.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert not any(isinstance(v, str) and ("张三" in v or "138" in v) for v in cells)
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    assert (1, "总体评价", "满意", 1, 0.5) in rows
    assert (1, "总体评价", "不满意", 1, 0.5) in rows
    assert (2, "办一件事跑几次", "三次及以上", 2, 1.0) in rows
    assert (3, "意见建议", "文字回答（不导出内容）", 1, None) in rows
    points = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert ("调查点", 1, 1, 2) in points


def test_a_written_answer_becomes_a_finding_from_its_page(
    client, world, campaign, point, questions, district_staff
) -> None:
    answer(point, questions, 2, 2, "同一个月来了三拨检查")
    written = m.text_answers(questionnaire_of(campaign)).get()
    login(client, district_staff)
    url = reverse("monitoring_answer_finding", args=[written.pk])
    response = client.post(url, {"title": "涉企检查多头重复", "measures": "统筹检查计划"})
    assert response.status_code == 400  # no department: 对号入座
    assert "涉企检查多头重复" in response.content.decode()
    response = client.post(url, {"title": "涉企检查多头重复", "department": world.department.pk})
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == finding.get_absolute_url()
    page = client.get(reverse("monitoring_texts", args=[campaign.pk])).content.decode()
    assert 'data-testid="text-finding"' in page


def test_the_qr_sheet_and_a_points_qr_code(client, campaign, point, district_staff) -> None:
    login(client, district_staff)
    page = client.get(reverse("monitoring_qr_sheet", args=[campaign.pk])).content.decode()
    assert page.count('data-testid="qr-image"') == 1 and "data:image/svg+xml" in page
    svg = client.get(reverse("monitoring_point_qr", args=[point.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(reverse("monitoring_point_qr", args=[point.pk, "png"]))
    assert png.content.startswith(b"\x89PNG")
    assert client.get(reverse("monitoring_point_qr", args=[point.pk, "gif"])).status_code == 404


# --- the public questionnaire ---------------------------------------------------------------


def _public_post(client: Client, point, questions, **values) -> Any:
    overall, trips, comment = questions
    data = {
        "idempotency_key": values.pop("key", str(uuid.uuid4())),
        f"q{overall.pk}": values.pop("overall", "0"),
        f"q{trips.pk}": values.pop("trips", "0"),
        f"q{comment.pk}": values.pop("comment", ""),
        **values,
    }
    return client.post(
        reverse("monitoring_public", args=[point.token]), data, REMOTE_ADDR="198.51.100.9"
    )


def test_anyone_answers_at_a_point_and_is_thanked(client, point, questions) -> None:
    cache.clear()
    page = client.get(reverse("monitoring_public", args=[point.token]))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert "优化营商环境专项监督" in text and point.name in text
    assert text.count('data-testid="public-question"') == 3
    response = _public_post(client, point, questions, overall="1", comment="希望增加周末服务")
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring_thanks", args=[point.token])
    assert "感谢" in client.get(response["Location"]).content.decode()
    point.refresh_from_db()
    assert point.answers == 1


def test_the_public_form_needs_its_csrf_token(point, questions) -> None:
    cache.clear()
    strict = Client(enforce_csrf_checks=True)
    response = _public_post(strict, point, questions)
    assert response.status_code == 403
    assert QuestionnaireResponse.objects.count() == 0


def test_a_double_tap_is_stored_once(client, point, questions) -> None:
    cache.clear()
    key = str(uuid.uuid4())
    first = _public_post(client, point, questions, key=key)
    second = _public_post(client, point, questions, key=key)
    assert first.status_code == second.status_code == 302
    point.refresh_from_db()
    assert point.answers == 1 and QuestionnaireResponse.objects.count() == 1


def test_bad_answers_keep_what_was_chosen_and_typed(client, point, questions) -> None:
    cache.clear()
    trips = questions[1]
    response = _public_post(client, point, questions, overall="", trips="1", comment="停车难")
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('data-testid="question-error"') == 1
    assert f'name="q{trips.pk}" id="id_q{trips.pk}_1" value="1" checked' in page
    assert "停车难" in page
    assert QuestionnaireResponse.objects.count() == 0


def test_a_closed_topic_or_an_inactive_point_shows_a_friendly_page(
    client, campaign, point, questions, district_staff
) -> None:
    cache.clear()
    m.point_set_active(point=point, active=False, by=district_staff)
    page = client.get(reverse("monitoring_public", args=[point.token]))
    assert page.status_code == 200 and 'data-testid="survey-closed"' in page.content.decode()
    response = _public_post(client, point, questions)
    assert 'data-testid="survey-closed"' in response.content.decode()
    assert QuestionnaireResponse.objects.count() == 0
    other = point_of(campaign, district_staff, name="区政务服务中心")
    from supervision import services

    services.topic_move(topic=campaign, action="complete", by=district_staff)
    page = client.get(reverse("monitoring_public", args=[other.token])).content.decode()
    assert 'data-testid="survey-closed"' in page


def test_an_unknown_token_is_404(client) -> None:
    cache.clear()
    assert client.get(reverse("monitoring_public", args=["x" * 22])).status_code == 404
    assert client.get(reverse("monitoring_thanks", args=["x" * 22])).status_code == 404


def test_a_robot_filling_the_honeypot_stores_nothing(client, point, questions) -> None:
    cache.clear()
    response = _public_post(client, point, questions, website="http://spam.example")
    assert response.status_code == 302
    assert QuestionnaireResponse.objects.count() == 0


@override_settings(SUPERVISION_MONITORING_ANSWER_RATE="2/m", TRUSTED_PROXY_COUNT=0)
def test_answers_are_rate_limited_per_address(client, point, questions) -> None:
    cache.clear()
    statuses = [_public_post(client, point, questions).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    point.refresh_from_db()
    assert point.answers == 2


def test_nothing_personal_is_asked_or_stored(client, point, questions) -> None:
    cache.clear()
    page = client.get(reverse("monitoring_public", args=[point.token])).content.decode()
    for word in ('name="mobile"', 'name="phone"', 'name="name"', 'type="tel"'):
        assert word not in page
    fields = {f.name for f in QuestionnaireResponse._meta.get_fields()}
    assert fields == {"id", "questionnaire", "point", "idempotency_key", "created_at", "answers"}


# --- the API --------------------------------------------------------------------------------


def test_the_api_lists_points_and_results_in_scope(
    client, campaign, point, questions, district_staff, other_district_staff
) -> None:
    answer(point, questions, 0, 1)
    answer(point, questions, 2, 1)
    login(client, district_staff)
    listing = client.get("/api/v1/supervision/monitoring-points/", {"topic": campaign.pk}).json()
    assert [row["name"] for row in listing["results"]] == [point.name]
    assert listing["results"][0]["answers"] == 2
    results = client.get(f"/api/v1/supervision/monitoring-results/{campaign.pk}/").json()
    assert results["responses"] == 2
    overall = results["questions"][0]
    assert [o["count"] for o in overall["options"]] == [1, 0, 1]
    assert overall["satisfied"] == "50.0"
    login(client, other_district_staff)
    assert client.get("/api/v1/supervision/monitoring-points/").json()["results"] == []
    assert client.get(f"/api/v1/supervision/monitoring-points/{point.pk}/").status_code == 404
    response = client.get(f"/api/v1/supervision/monitoring-results/{campaign.pk}/")
    assert response.status_code == 404


# --- reads that do not grow with the data -----------------------------------------------------


def _grow(campaign, staff, questions, n: int) -> None:
    while MonitoringPoint.objects.filter(topic=campaign).count() < n:
        k = MonitoringPoint.objects.count()
        point = point_of(campaign, staff, name=f"监测点{k}")
        answer(point, questions, k % 3, k % 3, f"意见{k}")


def test_the_staff_pages_cost_the_same_for_3_and_30_points(
    client, campaign, questions, district_staff
) -> None:
    login(client, district_staff)
    urls = [
        reverse("monitoring_points", args=[campaign.pk]),
        reverse("monitoring_results", args=[campaign.pk]),
        reverse("monitoring_texts", args=[campaign.pk]),
        reverse("monitoring_qr_sheet", args=[campaign.pk]),
        reverse("monitoring_questionnaire", args=[campaign.pk]),
        "/api/v1/supervision/monitoring-points/",
        f"/api/v1/supervision/monitoring-results/{campaign.pk}/",
    ]
    _grow(campaign, district_staff, questions, 3)
    small = [_count_queries(client, url) for url in urls]
    _grow(campaign, district_staff, questions, 30)
    large = [_count_queries(client, url) for url in urls]
    assert small == large


def test_the_public_page_costs_the_same_for_3_and_30_answers(client, point, questions) -> None:
    cache.clear()
    url = reverse("monitoring_public", args=[point.token])
    for k in range(3):
        answer(point, questions, k % 3, 0, "意见")
    small = _count_queries(client, url)
    for k in range(27):
        answer(point, questions, k % 3, 0, "意见")
    assert _count_queries(client, url) == small
