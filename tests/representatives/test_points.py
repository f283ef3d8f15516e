"""履职积分: computed from what happened, by rules staff can change; ranked by region."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from congress.models import User
from representatives import points, services
from representatives.models import (
    Activity,
    ActivityKind,
    DutyShift,
    PointRule,
    Representative,
    ShiftStatus,
    Station,
)
from representatives.registry import PointRecord, PointSource, point_sources, register_point_source
from tests.conftest import World, login


def _year() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return datetime.date(today.year, 1, 1), today


def _history(
    rep: Representative, station: Station, staff: User, *, logs: int, served: int, absent: int = 0
) -> None:
    """Make the record by calling services, as the people would."""
    today = timezone.localdate()
    for _n in range(logs):
        services.contact_log_record(
            representative=rep, kind="visit", contacted_on=today, summary="走访", by=rep.user
        )
    for index in range(served + absent):
        shift = services.duty_shift_create(
            station=station,
            representative=rep,
            date=today,
            start_time=datetime.time(8 + index),
            end_time=datetime.time(8 + index, 30),
            by=staff,
        )
        if index < served:
            services.duty_shift_serve(shift=shift, by=staff)
        else:
            services.duty_shift_mark_absent(shift=shift, reason="无故未到", by=staff)


def _inspection(
    world: World, staff: User, present: list[Representative], absent: list[Representative]
) -> Activity:
    activity = services.activity_create(
        by=staff,
        title="视察民生实事项目",
        kind=ActivityKind.INSPECTION,
        region=world.district,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        half_days=2,
    )
    services.activity_record_attendance(
        activity=activity,
        by=staff,
        attendance={**{r.pk: "present" for r in present}, **{r.pk: "absent" for r in absent}},
    )
    return activity


def test_points_are_computed_from_the_records(
    world: World,
    station: Station,
    representative: Representative,
    other_representative: Representative,
    district_staff: User,
) -> None:
    _history(representative, station, district_staff, logs=3, served=2, absent=1)
    _inspection(world, district_staff, present=[representative], absent=[other_representative])
    start, end = _year()

    mine = points.points_for(representative, start, end)
    assert {line.rule.code: line.count for line in mine.lines} == {
        "contact_log": 3,
        "duty_served": 2,
        "duty_absent": 1,
        "activity_inspection": 1,
    }
    assert mine.total == 3 * 1 + 2 * 5 - 1 + 3
    theirs = points.points_for(other_representative, start, end)
    # Absent from a two-half-day inspection: −1 per half day.
    assert theirs.total == -2


def test_points_follow_when_the_rules_or_the_records_change(
    world: World, station: Station, representative: Representative, district_staff: User
) -> None:
    services.point_rules_install_defaults()  # a transactional test may have flushed them
    _history(representative, station, district_staff, logs=2, served=1)
    start, end = _year()
    assert points.points_for(representative, start, end).total == 2 + 5
    PointRule.objects.filter(code="duty_served").update(points=8)
    assert points.points_for(representative, start, end).total == 2 + 8
    PointRule.objects.filter(code="contact_log").update(is_active=False)
    assert points.points_for(representative, start, end).total == 8
    shift = DutyShift.objects.get(status=ShiftStatus.SERVED)
    DutyShift.objects.filter(pk=shift.pk).update(date=start - datetime.timedelta(days=1))
    assert points.points_for(representative, start, end).total == 0  # outside the period


def test_other_apps_add_point_sources(world: World, representative: Representative) -> None:
    def count(reps, start, end):  # type: ignore[no-untyped-def]
        return [(rep.pk, "suggestion", 2) for rep in reps]

    def records(rep, start, end, viewer):  # type: ignore[no-untyped-def]
        return [PointRecord("suggestion", end, "关于道路硬化的建议")]

    source = PointSource("test-suggestions", "代表建议", count, records)
    register_point_source(source)
    try:
        start, end = _year()
        assert points.points_for(representative, start, end).total == 2 * 3
        found = points.records_for(representative, start, end, representative.user)  # type: ignore[arg-type]
        assert found[0].text == "关于道路硬化的建议"
    finally:
        point_sources.remove(source)


def test_the_ranking_is_scoped_by_region_and_shows_its_breakdown(
    client: Client,
    world: World,
    station: Station,
    representative: Representative,
    other_representative: Representative,
    far_representative: Representative,
    district_staff: User,
    city_staff: User,
) -> None:
    _history(representative, station, district_staff, logs=1, served=1)
    _history(other_representative, station, district_staff, logs=4, served=0)
    login(client, district_staff)
    body = client.get("/points/").content.decode()
    assert body.index("刘红") < body.index("张伟")  # 6 points before 4
    # Nothing chosen is the whole jurisdiction, and says so; the choices are named.
    assert '<option value="" selected>全部地区</option>' in body
    assert 'aria-label="地区"' in body and 'aria-label="层级"' in body
    assert "孙悦" not in body  # another district
    api = client.get("/api/v1/points/ranking/").json()["results"]
    assert [row["name"] for row in api] == ["刘红", "张伟"]
    assert {line["code"]: line["count"] for line in api[0]["breakdown"]} == {
        "contact_log": 1,
        "duty_served": 1,
    }
    detail = client.get(f"/representatives/{representative.pk}/points/").content.decode()
    assert "进站接待选民" in detail and "走访" in detail

    login(client, city_staff)
    names = [row["name"] for row in client.get("/api/v1/points/ranking/").json()["results"]]
    assert set(names) == {"刘红", "张伟", "孙悦"}
    names = [
        row["name"]
        for row in client.get(f"/api/v1/points/ranking/?region={world.other_district.pk}").json()[
            "results"
        ]
    ]
    assert names == ["孙悦"]
    township = client.get("/api/v1/points/ranking/?level=township").json()
    names = [row["name"] for row in township["results"]]
    assert township["count"] == 1
    assert names == ["刘红"]


def test_district_staff_cannot_rank_another_district(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.get(f"/api/v1/points/ranking/?region={world.other_district.pk}")
    assert response.status_code == 404


def test_the_annual_report_is_assembled_from_the_records(
    client: Client,
    world: World,
    station: Station,
    representative: Representative,
    representative_user: User,
    district_staff: User,
) -> None:
    _history(representative, station, district_staff, logs=2, served=1)
    services.voter_evaluation_submit(
        station=station, representative=representative, rating="satisfied"
    )
    services.voter_evaluation_submit(
        station=station, representative=representative, rating="unsatisfied"
    )
    login(client, representative_user)
    year = timezone.localdate().year
    body = client.get(f"/representatives/{representative.pk}/report/{year}/").content.decode()
    assert "全年联系选民 2 次" in body
    assert "全年进站接待 1 次" in body
    assert "满意和基本满意率 50.0%" in body


def test_defaults_count_even_when_the_rule_rows_are_gone(
    world: World, station: Station, representative: Representative, district_staff: User
) -> None:
    """``seed_demo --reset`` and transactional tests flush the migration's rows."""
    _history(representative, station, district_staff, logs=1, served=1)
    PointRule.objects.all().delete()
    start, end = _year()
    assert points.points_for(representative, start, end).total == 1 + 5
    assert services.point_rules_install_defaults() == len(points.DEFAULT_RULES)
    assert services.point_rules_install_defaults() == 0


def _district_suggestion(world: World, rep: Representative, staff: User) -> None:
    """刘红 files a suggestion to 海州区's session, and district staff register it."""
    from congress.models import Session, SessionKind
    from suggestions.formal import services as formal

    today = timezone.localdate()
    term = world.district.congress.current_term()
    assert term is not None
    session = Session.objects.create(
        term=term,
        kind=SessionKind.PLENARY,
        number=3,
        opens_on=today - datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=2),
    )
    suggestion = formal.suggestion_create(
        lead=rep,
        session=session,
        title="关于加密村级公交班次的建议",
        content="村民到镇上就医不便，建议增加班次。",
        category="transport",
        research_basis="走访桃园社区。",
        by=rep.user,  # type: ignore[arg-type]
    )
    formal.suggestion_submit(suggestion=suggestion, by=rep.user)  # type: ignore[arg-type]
    formal.suggestion_review(suggestion=suggestion, decision="register", by=staff)


def _breakdown_links(client: Client, rep: Representative) -> dict[str, str]:
    """The 积分明细 rows: text → link ("" where the row has none)."""
    page = client.get(f"/representatives/{rep.pk}/points/")
    assert page.status_code == 200
    return {record.text: record.url for _rule, record in page.context["records"]}


def test_the_breakdown_links_only_what_the_viewer_can_open(
    client: Client,
    world: World,
    station: Station,
    representative: Representative,
    district_staff: User,
    town_staff: User,
) -> None:
    """新浦街道's staff read 刘红's points: the district's inspection and her suggestion
    to the district's session are outside their jurisdiction (a 404 for them), so those
    rows carry no link; her contact log and her duty at the town's station do. District
    staff and 刘红 herself may open every row."""
    _history(representative, station, district_staff, logs=1, served=1)
    _inspection(world, district_staff, present=[representative], absent=[])
    _district_suggestion(world, representative, district_staff)

    for viewer, closed in [
        (town_staff, {"视察民生实事项目（出席）", "领衔：关于加密村级公交班次的建议"}),
        (district_staff, set()),
        (representative.user, set()),
    ]:
        links = _breakdown_links(login(client, viewer), representative)  # type: ignore[arg-type]
        assert len(links) == 4, links
        assert {text for text, url in links.items() if not url} == closed, viewer
        for url in filter(None, links.values()):
            assert client.get(url).status_code == 200, (viewer, url)


def test_the_ranking_page_ranks_in_the_database_a_page_at_a_time(
    client: Client, world: World, district_staff: User
) -> None:
    """活跃度排名 of 103 serving representatives: a hundred on the first page, the rest on
    the second, in points order (ties by name) across the pages; each row's points are
    those of its own breakdown (representatives/points.py, ``RankingList``)."""
    from tests.representatives.factories import RepresentativeFactory, seat

    people = []
    for n in range(103):
        rep = RepresentativeFactory(name=f"代表{n:03d}", region=world.town)
        seat(rep, world.district)
        people.append(rep)
    today = timezone.localdate()
    for rep, logs in ((people[57], 3), (people[101], 2), (people[3], 2)):
        for _n in range(logs):
            services.contact_log_record(
                representative=rep, kind="visit", contacted_on=today, summary="走访", by=None
            )
    login(client, district_staff)
    first = client.get("/points/").context["page"]
    second = client.get("/points/?page=2").context["page"]
    assert first.paginator.count == 103 and len(first) == 100 and len(second) == 3
    ranked = [*first, *second]
    assert [item.representative.name for item in ranked[:3]] == ["代表057", "代表003", "代表101"]
    assert [item.total for item in ranked[:4]] == [3, 2, 2, 0]
    rest = [item.representative.name for item in ranked[3:]]
    assert rest == sorted(rest) and len(set(rest)) == 100
    assert [item.count_of("contact_log") for item in ranked[:3]] == [3, 2, 2]
    # The API: the same order, fifty to a numbered page.
    api = [client.get(f"/api/v1/points/ranking/?page={n}").json() for n in (1, 2, 3)]
    assert api[0]["count"] == 103 and [len(page["results"]) for page in api] == [50, 50, 3]
    listed = [row["name"] for page in api for row in page["results"]]
    assert listed == [item.representative.name for item in ranked]


def test_a_ranking_period_of_more_than_ten_years_is_refused_with_a_reason(
    client: Client, world: World, district_staff: User
) -> None:
    """Each year is weighed with its own rules: a period is at most ten calendar years,
    and a longer one says so, on the page (in both languages) and in the API."""
    login(client, district_staff)
    page = client.get("/points/", {"start": "2000-01-01", "end": "2026-12-31"})
    assert "统计期间最长10年" in page.content.decode()
    assert page.context["form"].errors
    english = client.get(
        "/points/", {"start": "2000-01-01", "end": "2026-12-31"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "at most 10 years" in english.content.decode()
    api = client.get("/api/v1/points/ranking/?start=0001-01-01&end=9999-12-31")
    assert api.status_code == 400
    assert client.get("/api/v1/points/ranking/?start=2017-01-01&end=2026-12-31").status_code == 200
