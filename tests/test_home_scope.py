"""A clerk's reads written for an index give the rows the scope rules say.

The engine's scope (``loop.visible_assignments``) looks up the departments under a
clerk's own before reading their steps (one indexed ``department_id IN``); suggestions/citizen/home.py counts a
clerk's and a representative's problems in one grouped read. Here the steps of
海州区交通运输局 (clerk 赵磊), of 海州区人民政府办公室 above it (its clerk supervises
the bureau), of 临江区住建局 (孙丽) and one step given to a person: each persona's
rows are stated, and the card's figures too.
"""

from __future__ import annotations

from congress import loop
from congress.models import Assignment, Department, Role, User
from representatives.models import Station, StationKind, StationMember
from suggestions.citizen import home, selectors
from suggestions.citizen import services as citizen
from suggestions.models.citizen import IssueCategory
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.loop_support import TEST_CASE
from tests.suggestions_citizen.conftest import make_representative, submit


def _step(world: World, by: User, n: int, **assignee: object) -> Assignment:
    return loop.assignment_create(
        case_type=TEST_CASE,
        case_id=n,
        title=f"排水不畅{n}",
        region=world.village,
        by=by,
        **assignee,  # type: ignore[arg-type]
    )


def test_the_engines_scope_gives_each_persona_the_stated_steps(
    world: World, district_staff: User, clerk: User, other_clerk: User
) -> None:
    office = Department.objects.get(name="海州区人民政府办公室")
    supervisor = grant(UserFactory(username="office"), Role.HANDLER, department=office)
    both = grant(UserFactory(username="both"), Role.HANDLER, department=world.other_department)
    grant(both, Role.STAFF, region=world.district)
    person = UserFactory(username="person")
    mine = _step(world, district_staff, 1, department=world.department)
    above = _step(world, district_staff, 2, department=office)
    other = _step(world, district_staff, 3, department=world.other_department)
    personal = _step(world, district_staff, 4, user=person)

    assert loop.handled_department_ids(supervisor) == [office.pk, world.department.pk]
    expected = {
        clerk: {mine},
        supervisor: {mine, above},
        other_clerk: {other},
        both: {mine, above, other, personal},
        person: {personal},
        district_staff: {mine, above, other, personal},
    }
    for user, rows in expected.items():
        assert set(loop.visible_assignments(user)) == rows, user.username


def test_a_clerks_card_counts_the_problems_handed_to_the_department(
    world: World, district_staff: User, clerk: User, other_clerk: User
) -> None:
    citizen.categories_ensure_defaults()
    roads = IssueCategory.objects.get(code="roads")
    station = Station.objects.create(
        name="桃园社区代表联络站", kind=StationKind.STATION, region=world.village
    )
    head = make_representative("刘红", world.village, UserFactory(username="liuhong"))
    StationMember.objects.create(station=station, representative=head, role="head")
    issues = [submit(station=station, category=roads, mobile=f"1390000000{n}") for n in range(3)]
    for issue in issues[:2]:
        citizen.citizen_issue_accept(issue=issue, by=district_staff)
        citizen.citizen_issue_forward(
            issue=issue, department=world.department, by=district_staff, note="请处理"
        )

    def figures(user: User, counts: dict[str, object]) -> dict[str, int]:
        return {key: counts[key].value for key in counts}  # type: ignore[attr-defined]

    card = figures(clerk, home.home_counts(clerk))
    assert card == {"submitted": 0, "in_progress": 2, "overdue": 0, "supervision": 0, "review": 0}
    assert card == figures(clerk, selectors.home_counts(clerk))
    nothing = {"submitted": 0, "in_progress": 0, "overdue": 0, "supervision": 0, "review": 0}
    assert figures(other_clerk, home.home_counts(other_clerk)) == nothing
    # Staff are read from the summary rows, as before.
    assert home.home_counts(district_staff) == selectors.home_counts(district_staff)
