"""A finding's life through the real services: the transition table stated by hand,
persona × state, the engine's assignment kept in step, the topic's counts, evidence."""

from __future__ import annotations

import pytest
from django.http import Http404

from congress.errors import InvalidTransition, RuleViolation
from congress.models import AssignmentStatus, AuditEvent, CaseEvent
from supervision import services
from supervision.models.topics import Finding, FindingStatus
from supervision.workflow import FINDING_CASE, FINDING_TRANSITIONS, TOPIC_TRANSITIONS
from tests.supervision.findings_support import claimed, closed_off, finding_of, topic_of

pytestmark = pytest.mark.django_db


def test_the_finding_table_as_written_by_hand() -> None:
    expected = {
        "claim_closure": ({"rectifying"}, "claimed"),
        "close_off": ({"claimed"}, "closed_off"),
        "reject_closure": ({"claimed"}, "rectifying"),
        "review_reopen": ({"closed_off"}, "rectifying"),
    }
    got = {name: (set(sources), target) for name, (sources, target) in FINDING_TRANSITIONS.items()}
    assert got == expected


def test_the_topic_table_as_written_by_hand() -> None:
    expected = {
        "start": ({"planned"}, "active"),
        "rectify": ({"active"}, "rectifying"),
        "complete": ({"active", "rectifying"}, "completed"),
        "cancel": ({"planned", "active"}, "cancelled"),
    }
    got = {name: (set(sources), target) for name, (sources, target) in TOPIC_TRANSITIONS.items()}
    assert got == expected


def test_a_finding_is_handed_to_one_department_and_counted_on_the_topic(
    world, district_staff
) -> None:
    topic = topic_of(world.district, district_staff)
    finding = finding_of(topic, world.department, district_staff)
    topic.refresh_from_db()
    assert (topic.findings_count, topic.findings_closed_off) == (1, 0)
    assert finding.number == 1
    assert finding.status == "rectifying"
    assert finding.assignment is not None
    assert finding.assignment.department == world.department
    assert finding.assignment.status == AssignmentStatus.ASSIGNED
    assert finding.due_on == finding.assignment.due_on
    actions = list(
        CaseEvent.objects.filter(case_type=FINDING_CASE, case_id=finding.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "assign"]


def test_no_department_is_refused_with_a_message_and_nothing_written(world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    with pytest.raises(RuleViolation, match="责任单位"):
        services.finding_create(topic=topic, title="无人负责", department=None, by=district_staff)
    assert Finding.objects.count() == 0
    topic.refresh_from_db()
    assert topic.findings_count == 0


def test_another_districts_department_is_refused(world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    with pytest.raises(RuleViolation):
        services.finding_create(
            topic=topic, title="越界", department=world.other_department, by=district_staff
        )


def test_other_district_staff_cannot_hand_out_a_finding(
    world, district_staff, other_district_staff
) -> None:
    topic = topic_of(world.district, district_staff)
    with pytest.raises(Http404):
        finding_of(topic, world.department, other_district_staff)


def test_claim_close_off_with_evidence(world, district_staff, clerk) -> None:
    topic = topic_of(world.district, district_staff)
    finding = finding_of(topic, world.department, district_staff)
    services.finding_report_progress(finding=finding, note="已排出新班次", by=clerk)
    claimed(finding, clerk)
    assert finding.status == "claimed"
    assert finding.due_on is None  # replied: nothing is due from the department now
    assert finding.assignment.status == AssignmentStatus.REPLIED  # type: ignore[union-attr]
    with pytest.raises(RuleViolation, match="销号须有依据"):
        services.finding_close_off(finding=finding, evidence="  ", by=district_staff)
    finding.refresh_from_db()
    assert finding.status == "claimed"
    services.finding_close_off(finding=finding, evidence="现场核实", by=district_staff)
    finding.refresh_from_db()
    topic.refresh_from_db()
    assert finding.status == "closed_off"
    assert finding.evidence == "现场核实"
    assert finding.closed_on_time is True
    assert finding.assignment.status == AssignmentStatus.CLOSED  # type: ignore[union-attr]
    assert (topic.findings_count, topic.findings_closed_off) == (1, 1)
    assert AuditEvent.objects.filter(detail__action="close_off").count() == 1


def test_a_rejected_closure_goes_back_to_rectifying_with_a_new_due_date(
    world, district_staff, clerk
) -> None:
    topic = topic_of(world.district, district_staff)
    finding = claimed(finding_of(topic, world.department, district_staff), clerk)
    with pytest.raises(RuleViolation):
        services.finding_reject_closure(finding=finding, reason="", by=district_staff)
    services.finding_reject_closure(finding=finding, reason="仍有盲区", by=district_staff)
    finding.refresh_from_db()
    assert finding.status == "rectifying"
    assert finding.assignment.status == AssignmentStatus.IN_PROGRESS  # type: ignore[union-attr]
    assert finding.due_on is not None


def test_review_reopens_a_closed_off_finding_and_the_count_follows(
    world, district_staff, clerk
) -> None:
    topic = topic_of(world.district, district_staff)
    finding = closed_off(finding_of(topic, world.department, district_staff), clerk, district_staff)
    services.finding_review_reopen(finding=finding, reason="问题反弹", by=district_staff)
    finding.refresh_from_db()
    topic.refresh_from_db()
    assert finding.status == "rectifying"
    assert topic.findings_closed_off == 0


# --- persona × state, through the services --------------------------------------------------

STATES = ("rectifying", "claimed", "closed_off")


def _in_state(state, world, staff, clerk):
    topic = topic_of(world.district, staff)
    finding = finding_of(topic, world.department, staff)
    if state == "claimed":
        claimed(finding, clerk)
    if state == "closed_off":
        closed_off(finding, clerk, staff)
    finding.refresh_from_db()
    return finding


def _run(action, finding, user):
    if action == "claim_closure":
        services.finding_claim_closure(finding=finding, note="完成", by=user)
    elif action == "close_off":
        services.finding_close_off(finding=finding, evidence="核实", by=user)
    elif action == "reject_closure":
        services.finding_reject_closure(finding=finding, reason="未完成", by=user)
    elif action == "review_reopen":
        services.finding_review_reopen(finding=finding, reason="反弹", by=user)


# (action, persona) → the states it is allowed from; everything else is refused.
ALLOWED = {
    ("claim_closure", "clerk"): {"rectifying"},
    ("close_off", "district_staff"): {"claimed"},
    ("reject_closure", "district_staff"): {"claimed"},
    ("review_reopen", "district_staff"): {"closed_off"},
}
TARGET = {
    "claim_closure": "claimed",
    "close_off": "closed_off",
    "reject_closure": "rectifying",
    "review_reopen": "rectifying",
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(TARGET))
@pytest.mark.parametrize(
    "persona", ["district_staff", "other_district_staff", "clerk", "other_clerk"]
)
def test_persona_by_state(state, action, persona, world, district_staff, clerk, request) -> None:
    user = request.getfixturevalue(persona)
    finding = _in_state(state, world, district_staff, clerk)
    if state in ALLOWED.get((action, persona), set()):
        _run(action, finding, user)
        finding.refresh_from_db()
        assert finding.status == TARGET[action]
    else:
        with pytest.raises((Http404, InvalidTransition, services.NotPermitted)):
            _run(action, finding, user)
        assert Finding.objects.get(pk=finding.pk).status == state


def test_long_term_needs_a_target(world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    with pytest.raises(RuleViolation, match="整改目标"):
        services.finding_create(
            topic=topic,
            title="老旧小区监控",
            department=world.department,
            is_long_term=True,
            by=district_staff,
        )
    finding = services.finding_create(
        topic=topic,
        title="老旧小区监控",
        department=world.department,
        is_long_term=True,
        target="三年内全覆盖",
        milestones="2026年 30%\n2027年 70%\n2028年 全覆盖",
        by=district_staff,
    )
    assert finding.is_long_term and finding.status == FindingStatus.RECTIFYING
