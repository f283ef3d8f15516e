"""Issue #17, "API: all of the above, scoped": staff create a department evaluation (工作评议)
through ``POST /api/v1/evaluations/`` with the new-evaluation page's form and service.
Stories with the real database: 海州区's staff create one of three departments and an
appointed official; weights that do not add up to 100 and a window that ends before it
starts are 400s naming ``criteria`` and ``closes_at``; 临江区's staff get 404 for 海州区's
congress, and so do a representative, a clerk and a committee member (not staff: the
page's 404 too); nothing is written for any of them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import CaseEvent, Department, User
from representatives.models import Delegation
from supervision.evaluation import services
from supervision.models.evaluation import Evaluation, EvaluationStatus, SubjectKind
from tests.conftest import World, login
from tests.factories import DepartmentFactory
from tests.supervision.evaluation_support import EvalCast, make_cast, make_evaluation

pytestmark = pytest.mark.django_db

URL = "/api/v1/evaluations/"


@pytest.fixture
def cast(world: World, representative_user: User) -> EvalCast:
    return make_cast(world, representative_user)


def _post(client: Client, data: dict[str, Any]) -> Any:
    return client.post(URL, data, content_type="application/json")


def _fields(response: Any) -> dict[str, list[str]]:
    """The fields a 400 names, with their messages (code, message, errors)."""
    assert response.status_code == 400, response.content
    errors: dict[str, list[str]] = response.json()["errors"]
    return errors


def _body(cast: EvalCast, **changes: Any) -> dict[str, Any]:
    now = timezone.now()
    data: dict[str, Any] = {
        "congress": cast.world.district.congress.pk,
        "title": " 2026年度政府部门工作评议 ",
        "year": 2026,
        "opens_at": (now + datetime.timedelta(hours=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=7)).isoformat(),
        "departments": [d.pk for d in cast.departments],
        "officials": "王建国，海州区交通运输局局长",
        "criteria": "工作作风 70\n服务质量 30",
    }
    data.update(changes)
    return data


def test_staff_create_an_evaluation_of_departments_and_an_official(
    client: Client, cast: EvalCast, district_staff: User
) -> None:
    delegation = Delegation.objects.create(congress=cast.world.district.congress, name="新浦代表团")
    login(client, district_staff)
    response = _post(client, _body(cast, delegation=delegation.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    evaluation = Evaluation.objects.get(pk=body["id"])
    assert (evaluation.title, evaluation.status, evaluation.region_id) == (
        "2026年度政府部门工作评议",
        EvaluationStatus.DRAFT,
        cast.world.district.pk,
    )
    assert evaluation.delegation_id == delegation.pk
    assert evaluation.created_by_id == district_staff.pk
    assert [(c["name"], c["weight"]) for c in body["criteria"]] == [
        ("工作作风", 70),
        ("服务质量", 30),
    ]
    subjects = [(s["kind"], s["department"], s["name"], s["post"]) for s in body["subjects"]]
    # The departments first (in the form's order of its choices), then the officials.
    assert sorted(subjects[:3]) == sorted(
        (SubjectKind.DEPARTMENT, d.pk, d.name, "") for d in cast.departments
    )
    assert subjects[3] == (SubjectKind.OFFICIAL, None, "王建国", "海州区交通运输局局长")
    assert (body["status"], body["delegation"]) == ("draft", delegation.pk)
    assert CaseEvent.objects.filter(case_id=evaluation.pk, action="evaluation_create").exists()


def test_officials_alone_are_subjects_enough(
    client: Client, cast: EvalCast, district_staff: User
) -> None:
    """任命人员履职评议: no department, two officials, one without a post."""
    login(client, district_staff)
    response = _post(client, _body(cast, departments=[], officials="王建国，局长\n李明"))
    assert response.status_code == 201, response.content
    assert [(s["name"], s["post"]) for s in response.json()["subjects"]] == [
        ("王建国", "局长"),
        ("李明", ""),
    ]
    # The draft is the page's: the staff open it with the step the page's button takes,
    # and 海州区's five seated representatives are its electorate.
    opened = client.post(f"{URL}{response.json()['id']}/actions/evaluation_open/")
    assert opened.status_code == 200, opened.content
    assert (opened.json()["status"], opened.json()["electorate"]) == ("open", 5)


def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    client: Client, cast: EvalCast, district_staff: User
) -> None:
    login(client, district_staff)
    errors = _fields(_post(client, _body(cast, criteria="工作作风 70\n服务质量 20")))
    assert errors == {"criteria": ["各项评议内容的权重之和须为100，现为90。"]}
    now = timezone.now()
    errors = _fields(
        _post(
            client,
            _body(
                cast,
                opens_at=(now + datetime.timedelta(days=7)).isoformat(),
                closes_at=(now + datetime.timedelta(days=1)).isoformat(),
            ),
        )
    )
    assert errors == {"closes_at": ["截止评议时间须晚于开始评议时间。"]}
    assert set(_fields(_post(client, _body(cast, criteria="工作作风")))) == {"criteria"}
    assert set(_fields(_post(client, _body(cast, criteria="工作作风 0\n服务质量 100")))) == {
        "criteria"
    }
    assert set(_fields(_post(client, _body(cast, title="", year=1990, criteria="")))) == {
        "title",
        "year",
        "criteria",
    }
    assert set(_fields(_post(client, _body(cast, opens_at="明天")))) == {"opens_at"}
    # Another district's department, and another congress's delegation, are no choice here.
    other = cast.other_departments[0].pk
    assert set(_fields(_post(client, _body(cast, departments=[other])))) == {"departments"}
    theirs = Delegation.objects.create(congress=cast.world.other_district.congress, name="外团")
    assert set(_fields(_post(client, _body(cast, delegation=theirs.pk)))) == {"delegation"}
    # No congress named: a 400 on that field.
    assert set(_fields(_post(client, _body(cast, congress=None)))) == {"congress"}
    assert set(_fields(_post(client, _body(cast, congress="海州区")))) == {"congress"}
    # The service's own rule, over both fields: somebody to evaluate.
    nobody = _post(client, _body(cast, departments=[], officials=""))
    assert nobody.status_code == 400
    assert nobody.json()["message"] == "请至少选择一个评议对象。"
    # Not an object: a 400 too.
    assert client.post(URL, "[1]", content_type="application/json").status_code == 400
    assert not Evaluation.objects.exists()


def test_another_regions_congress_and_the_wrong_role_are_404_and_write_nothing(
    client: Client,
    cast: EvalCast,
    other_district_staff: User,
    representative_user: User,
    clerk: User,
    committee_member: User,
) -> None:
    """临江区's staff may not create one for 海州区's congress (404, not "forbidden": the
    congress is outside their scope). A representative sees evaluations but is not staff;
    like a clerk and a committee member, they get the page's 404."""
    theirs = make_evaluation(cast.world.district, cast.departments, by=None)  # type: ignore[arg-type]
    services.evaluation_open(evaluation=theirs, by=None)
    for user in (other_district_staff, representative_user, clerk, committee_member):
        login(client, user)
        assert _post(client, _body(cast)).status_code == 404, user
    login(client, representative_user)
    assert client.get(f"{URL}{theirs.pk}/").status_code == 200  # they do see it
    client.logout()
    assert _post(client, _body(cast)).status_code == 401
    assert list(Evaluation.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_city_staff_create_one_for_a_district_below_them(
    client: Client, cast: EvalCast, city_staff: User
) -> None:
    login(client, city_staff)
    response = _post(client, _body(cast))
    assert response.status_code == 201, response.content
    assert Evaluation.objects.get().region_id == cast.world.district.pk


def test_creating_costs_the_same_for_3_and_30_departments_and_evaluations(
    client: Client, cast: EvalCast, district_staff: User
) -> None:
    """The form reads the named departments in one query, the service writes them in
    one, the answer reads them in one: neither the subjects nor the evaluations already
    there add a query."""
    login(client, district_staff)
    district = cast.world.district

    def cost(n: int) -> int:
        while Evaluation.objects.count() < n:
            make_evaluation(district, cast.departments, district_staff, title=f"评议{n}")
        names = [f"海州区第{n}-{i}局" for i in range(n)]
        for name in names:
            DepartmentFactory(name=name, region=district)
        named = list(Department.objects.filter(name__in=names).values_list("pk", flat=True))
        data = _body(cast, departments=named, title=f"新评议{n}")
        with CaptureQueriesContext(connection) as queries:
            response = _post(client, data)
        assert response.status_code == 201, response.content
        assert len(response.json()["subjects"]) == n + 1
        return len(queries)

    assert cost(3) == cost(30)
