"""A rule changed for one district's congress applies to its new cases only
(docs/rules.md, "The value in force is recorded on the case").

海州区's congress shortens 受理 to 5 working days and lengthens a department's reply on a
citizen's problem to 20 working days, and asks its departments to answer suggestions
within 2 months instead of the law's 3. A problem and a suggestion of 海州区 from before
the change keep the old deadlines in every later step; new ones follow the new rules;
临江区, which set nothing, keeps the defaults; and when 江海市 (the city) sets a rule,
临江区 inherits it.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest

from congress.models import Assignment, AssignmentStatus, Congress, Session, SessionKind, User
from congress.models import Term as CongressTerm
from congress.rules import congress_rules_save
from congress.workdays import Deadline, add_deadline
from representatives.models import Mandate, Representative, Station, StationKind, StationMember
from suggestions.citizen import services as citizen
from suggestions.citizen.workflow import APPOINTMENT_CASE, ISSUE_CASE
from suggestions.formal import services as formal
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.citizen import CitizenIssue, IssueCategory
from suggestions.models.formal import Suggestion
from tests.conftest import World
from tests.factories import RegionFactory, UserFactory
from tests.suggestions_citizen.conftest import make_representative, submit

ACCEPT = "citizen.accept_workdays"
DEPARTMENT = "citizen.department_workdays"
REPLY = "suggestion.reply_months"


def congress_of(region: Any) -> Congress:
    return Congress.objects.get(region=region)


def workdays(n: int) -> datetime.date:
    return add_deadline(datetime.date.today(), Deadline(n, "workdays"))


def months(n: int) -> datetime.date:
    return add_deadline(datetime.date.today(), Deadline(n, "months"))


def step_due(issue: CitizenIssue, **kind: Any) -> datetime.date:
    step = Assignment.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk, **kind).latest("pk")
    return step.due_on


# --- citizens' problems ----------------------------------------------------------------


@pytest.fixture
def roads(db: None) -> IssueCategory:
    citizen.categories_ensure_defaults()
    return IssueCategory.objects.get(code="roads")


def _station(name: str, region: Any, representative: Representative) -> Station:
    station = Station.objects.create(name=name, kind=StationKind.STATION, region=region)
    StationMember.objects.create(station=station, representative=representative, role="head")
    return station


@pytest.fixture
def stations(world: World, representative_user: User) -> tuple[Station, Station]:
    """桃园社区's station in 海州区, 江边社区's in 临江区."""
    ours = make_representative("刘红", world.village, representative_user)
    river = RegionFactory(name="江边社区", level="village", parent=world.other_district)
    theirs = make_representative("孙伟", river, UserFactory(username="sunwei"))
    return (
        _station("桃园社区代表联络站", world.village, ours),
        _station("江边社区代表联络站", river, theirs),
    )


def test_a_district_rule_changes_the_deadlines_of_its_new_problems_only(
    world: World,
    administrator: User,
    district_staff: User,
    other_district_staff: User,
    stations: tuple[Station, Station],
    roads: IssueCategory,
) -> None:
    ours, theirs = stations
    before = submit(station=ours, category=roads, mobile="13800000001")
    assert before.rules_in_force[ACCEPT] == 2
    assert before.rules_in_force[DEPARTMENT] == 15
    assert step_due(before) == workdays(2)  # 受理 by the defaults

    congress_rules_save(
        congress=congress_of(world.district), values={ACCEPT: 5, DEPARTMENT: 20}, by=administrator
    )

    after = submit(station=ours, category=roads, mobile="13800000002")
    elsewhere = submit(station=theirs, category=roads, mobile="13800000003")
    assert (after.rules_in_force[ACCEPT], after.rules_in_force[DEPARTMENT]) == (5, 20)
    assert step_due(after) == workdays(5)
    assert (elsewhere.rules_in_force[ACCEPT], elsewhere.rules_in_force[DEPARTMENT]) == (2, 15)
    assert step_due(elsewhere) == workdays(2)

    # Later steps follow what each problem recorded, not today's rules.
    for issue, staff, department, days in [
        (before, district_staff, world.department, 15),
        (after, district_staff, world.department, 20),
        (elsewhere, other_district_staff, world.other_department, 15),
    ]:
        citizen.citizen_issue_accept(issue=issue, by=staff)
        issue.refresh_from_db()
        step = citizen.citizen_issue_forward(issue=issue, department=department, by=staff)
        assert step.due_on == workdays(days), issue
    # The old problem's record was never rewritten.
    before.refresh_from_db()
    assert (before.rules_in_force[ACCEPT], before.rules_in_force[DEPARTMENT]) == (2, 15)


def test_a_rule_of_the_city_reaches_the_district_that_set_none(
    world: World, administrator: User, stations: tuple[Station, Station], roads: IssueCategory
) -> None:
    ours, theirs = stations
    congress_rules_save(congress=congress_of(world.city), values={ACCEPT: 3}, by=administrator)
    congress_rules_save(congress=congress_of(world.district), values={ACCEPT: 5}, by=administrator)
    assert submit(station=theirs, category=roads).rules_in_force[ACCEPT] == 3
    assert submit(station=ours, category=roads, mobile="13800000009").rules_in_force[ACCEPT] == 5


def test_moderation_words_and_sms_confirmation_follow_the_problems_congress(
    world: World, administrator: User, stations: tuple[Station, Station], roads: IssueCategory
) -> None:
    ours, theirs = stations
    congress_rules_save(
        congress=congress_of(world.district),
        values={"citizen.moderation_words": ["高息放贷"], "citizen.sms_confirmation": True},
        by=administrator,
    )
    text = "小区门口有人发高息放贷的传单"
    held = submit(station=ours, category=roads, description=text)
    passed = submit(station=theirs, category=roads, description=text, mobile="13800000004")
    assert held.status == "pending_confirmation"  # SMS confirmation first, in 海州区
    assert held.moderation_reason
    assert passed.status == "submitted" and passed.moderation_reason == ""


# --- representatives' suggestions ------------------------------------------------------


def _filer(world: World, region: Any, username: str) -> tuple[Representative, Session, User]:
    """A representative of the district congress of ``region`` and its open session."""
    term = CongressTerm.objects.get(congress__region=region)
    today = datetime.date.today()
    session = Session.objects.create(
        term=term,
        kind=SessionKind.PLENARY,
        number=3,
        opens_on=today - datetime.timedelta(days=2),
        closes_on=today - datetime.timedelta(days=1),
    )
    user = UserFactory(username=username)
    person = Representative.objects.create(
        name=username, gender="male", region=world.village, user=user
    )
    Mandate.objects.create(
        representative=person,
        level=term.congress.level,
        term=term,
        starts_on=datetime.date(2022, 1, 8),
    )
    return person, session, user


def _assigned(
    lead: Representative, session: Session, user: User, staff: User, department: Any
) -> tuple[Suggestion, Assignment]:
    suggestion = formal.suggestion_create(
        lead=lead,
        session=session,
        title="关于增设公交站点的建议",
        content="新建小区距最近的公交站一公里以上，建议增设站点。",
        category="transport",
        by=user,
    )
    formal.suggestion_submit(suggestion=suggestion, by=user)
    formal.suggestion_review(suggestion=suggestion, decision="register", by=staff)
    step = formal.suggestion_assign(suggestion=suggestion, lead_department=department, by=staff)
    return suggestion, step


def test_a_district_rule_changes_the_reply_deadline_of_its_new_suggestions_only(
    world: World, administrator: User, district_staff: User, other_district_staff: User
) -> None:
    ours = _filer(world, world.district, "hz_rep")
    theirs = _filer(world, world.other_district, "lj_rep")
    early = formal.suggestion_create(
        lead=ours[0],
        session=ours[1],
        title="关于整治背街小巷的建议",
        content="背街小巷路灯不亮，建议整治。",
        category="transport",
        by=ours[2],
    )
    assert early.rules_in_force[REPLY] == 3

    congress_rules_save(congress=congress_of(world.district), values={REPLY: 2}, by=administrator)

    # The suggestion created before the change is handed over after it: still 3 months.
    formal.suggestion_submit(suggestion=early, by=ours[2])
    formal.suggestion_review(suggestion=early, decision="register", by=district_staff)
    early_step = formal.suggestion_assign(
        suggestion=early, lead_department=world.department, by=district_staff
    )
    late, late_step = _assigned(*ours, district_staff, world.department)
    other, other_step = _assigned(*theirs, other_district_staff, world.other_department)

    assert early_step.due_on == months(3)
    assert late.rules_in_force[REPLY] == 2 and late_step.due_on == months(2)
    assert other.rules_in_force[REPLY] == 3 and other_step.due_on == months(3)
    assert (
        Assignment.objects.filter(
            case_type=SUGGESTION_CASE, status=AssignmentStatus.ASSIGNED
        ).count()
        == 3
    )


# --- appointments (约见) -----------------------------------------------------------------


def test_a_district_rule_changes_the_response_deadline_of_its_new_appointments_only(
    world: World, administrator: User, stations: tuple[Station, Station]
) -> None:
    ours, theirs = stations
    ask = {
        "topic": "反映小区停车难",
        "preferred_date": datetime.date.today() + datetime.timedelta(days=7),
        "mobile": "13800000005",
        "consent": True,
    }

    def request(station: Station) -> Any:
        member = station.members.get().representative
        appointment, _created = citizen.appointment_request(
            idempotency_key=uuid.uuid4(), representative=member, station=station, **ask
        )
        step = Assignment.objects.get(case_type=APPOINTMENT_CASE, case_id=appointment.pk)
        return appointment, step.due_on

    before, before_due = request(ours)
    congress_rules_save(
        congress=congress_of(world.district),
        values={"appointment.response_workdays": 5},
        by=administrator,
    )
    after, after_due = request(ours)
    elsewhere, elsewhere_due = request(theirs)
    assert (before.rules_in_force["appointment.response_workdays"], before_due) == (3, workdays(3))
    assert (after.rules_in_force["appointment.response_workdays"], after_due) == (5, workdays(5))
    assert (elsewhere.rules_in_force["appointment.response_workdays"], elsewhere_due) == (
        3,
        workdays(3),
    )
