"""Access rules of the standing-committee meetings (supervision/meetings/).

Scopes (supervision/meetings/selectors.py): staff see the meetings of the congresses in
their region and below and run them; a member sees the meetings they are called to; a
reporting body's clerk sees the meetings where it reports and, of their items, only its
own reports. Everyone else gets 404. 钱建国 (committee_member) sits on the city's
committee and, in these rules, on 海州区's too, so he is called to 海州区's meeting; 赵磊
(clerk) reports to 海州区's meeting, 孙丽 (other_clerk) to 临江区's.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from congress.models import Role, RoleGrant
from congress.models.ballots import Rating
from supervision.meetings import services
from supervision.models.meetings import (
    AgendaItem,
    ItemKind,
    Meeting,
    MeetingMember,
    Question,
    ReviewOpinion,
)
from tests.factories import UserFactory, grant
from tests.security.access_rules import (
    API_ANONYMOUS,
    DISTRICT,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    OTHER_DISTRICT,
    REDIRECT,
    STAFF,
    Builder,
    Case,
    Rule,
    api,
    only,
    outcomes,
    page,
    signed_in,
)
from tests.security.conftest import Cast

IN_PARTIES = (*DISTRICT, "clerk", "committee_member")
OUT_PARTIES = (*OTHER_DISTRICT, "other_clerk")
BAD_REQUEST, CONFLICT = 400, 409


def _side(cast: Cast, side: str) -> tuple[Any, Any, Any, Any]:
    """(region, staff, reporting department, its clerk) of a side."""
    world = cast.world
    if side == "in":
        return world.district, cast.district_staff, world.department, cast.clerk
    return world.other_district, cast.other_district_staff, world.other_department, cast.other_clerk


def _meeting(cast: Cast, side: str) -> Meeting:
    region, staff, department, _clerk = _side(cast, side)
    if not RoleGrant.objects.filter(role=Role.COMMITTEE, region=region).exists():
        # 海州区's committee: 钱建国; 临江区's: a member who is none of the cast.
        member = cast.committee_member if side == "in" else UserFactory(username="lj_member")
        grant(member, Role.COMMITTEE, region=region)
    number = Meeting.objects.filter(region=region).count() + 1
    meeting = services.meeting_schedule(
        congress=region.congress,
        number=number,
        held_on=timezone.localdate() + datetime.timedelta(days=30),
        by=staff,
    )
    services.agenda_add(
        meeting=meeting,
        kind=ItemKind.REPORT,
        title="专项工作报告",
        department=department,
        by=staff,
    )
    services.agenda_add(meeting=meeting, kind=ItemKind.INQUIRY, title="专题询问", by=staff)
    return meeting


def _report(meeting: Meeting) -> AgendaItem:
    return meeting.items.get(kind=ItemKind.REPORT)


def _voting(cast: Cast, side: str) -> AgendaItem:
    """A report received, the meeting held, the vote open."""
    _region, staff, _department, clerk = _side(cast, side)
    meeting = _meeting(cast, side)
    item = _report(meeting)
    services.report_submit(item=item, text="报告", by=clerk)
    services.meeting_hold(meeting=meeting, by=staff)
    services.evaluation_open(item=item, by=staff)
    return item


def _once(cast: Cast, key: str, build: Any) -> Any:
    if key not in cast.objects:
        cast.objects[key] = build()
    return cast.objects[key]


def meeting(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"sm_{side}", lambda: _meeting(cast, side)).pk}


def fresh_meeting(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _meeting(cast, side).pk, **extra}


def item(side: str, kind: str = ItemKind.REPORT) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        found = _once(cast, f"sm_{side}", lambda: _meeting(cast, side))
        return {"pk": found.items.get(kind=kind).pk}

    return build


def fresh_report(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _report(_meeting(cast, side)).pk, **extra}


def voting(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"sv_{side}", lambda: _voting(cast, side)).pk}


def fresh_voting(side: str) -> Builder:
    return lambda cast: {"pk": _voting(cast, side).pk}


def _issued(cast: Cast, side: str) -> Any:
    """A report heard at a held meeting and its opinion issued to the reporting body."""
    _region, staff, department, clerk = _side(cast, side)
    meeting = _meeting(cast, side)
    report = _report(meeting)
    services.report_submit(item=report, text="报告", by=clerk)
    services.meeting_hold(meeting=meeting, by=staff)
    opinion = services.opinion_draft(item=report, department=department, text="意见", by=staff)
    return services.opinion_issue(opinion=opinion, by=staff)


def _draft(cast: Cast, side: str) -> Any:
    """A report heard at a held meeting and its opinion still a draft."""
    _region, staff, department, clerk = _side(cast, side)
    meeting = _meeting(cast, side)
    report = _report(meeting)
    services.report_submit(item=report, text="报告", by=clerk)
    services.meeting_hold(meeting=meeting, by=staff)
    return services.opinion_draft(item=report, department=department, text="意见", by=staff)


def question(side: str) -> Builder:
    """A question recorded on the meeting's inquiry, without its answer yet."""

    def build(cast: Cast) -> Any:
        _region, staff, _department, _clerk = _side(cast, side)
        found = _once(cast, f"sm_{side}", lambda: _meeting(cast, side))
        return services.question_record(
            item=found.items.get(kind=ItemKind.INQUIRY),
            asker="王委员",
            respondent="局长",
            text="何时整改？",
            by=staff,
        )

    return lambda cast: {"pk": _once(cast, f"sq_{side}", lambda: build(cast)).pk}


def draft_opinion(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"sd_{side}", lambda: _draft(cast, side)).pk}


def opinion(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"so_{side}", lambda: _issued(cast, side)).pk}


def fresh_opinion(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _issued(cast, side).pk, **extra}


def _opinion_status(cast: Cast, args: dict[str, Any]) -> str:
    return ReviewOpinion.objects.get(pk=args["pk"]).status


def _meeting_status(cast: Cast, args: dict[str, Any]) -> str:
    return Meeting.objects.get(pk=args["pk"]).status


def _item_status(cast: Cast, args: dict[str, Any]) -> str:
    return AgendaItem.objects.get(pk=args["pk"]).status


def fresh_received(side: str, **extra: Any) -> Builder:
    """A report the body sent, not yet sent to the members (the office's step ahead)."""

    def build(cast: Cast) -> dict[str, Any]:
        _region, _staff, _department, clerk = _side(cast, side)
        report = _report(_meeting(cast, side))
        services.report_submit(item=report, text="报告", by=clerk)
        return {"pk": report.pk, **extra}

    return build


def _sent_to_members(cast: Cast, args: dict[str, Any]) -> Any:
    return AgendaItem.objects.get(pk=args["pk"]).sent_to_members_at


def staff_only(side_in: Builder, side_out: Builder, **kwargs: Any) -> Rule:
    """A staff page of one object: staff of its region (and above) 200, everyone else 404."""
    return Rule(
        (
            Case("in 海州区", only(DISTRICT), side_in, **kwargs),
            Case("in 临江区", only(OTHER_DISTRICT), side_out, **kwargs),
        )
    )


def parties(side_in: Builder, side_out: Builder, in_: Any = IN_PARTIES) -> Rule:
    return Rule(
        (
            Case("in 海州区", only(in_), side_in),
            Case("in 临江区", only(OUT_PARTIES), side_out),
        )
    )


_REPORT = {"text": "报告正文"}


# --- the API's staff writes (issue #17): the side's staff (and the city's, the
# administrator) write; a member or clerk who sees the object 403; everyone else 404 (401
# anonymous); a create by anyone who is not staff 403. Nothing changes when refused. ----

SIDES = (
    ("in", "海州区", DISTRICT, ("clerk", "committee_member")),
    ("out", "临江区", OTHER_DISTRICT, ("other_clerk",)),
)
NOT_STAFF = ("representative", "other_representative", "clerk", "other_clerk", "committee_member")


def staff_api_write(
    label: str,
    *,
    ok: int,
    unchanged: Any,
    args: Any,
    data: Any = None,
    method: str = "POST",
    seers: Any = None,
) -> tuple[Case, ...]:
    """One write on a 海州区 object and one on a 临江区 object. ``seers``: who sees the
    side's object but may not write (403); by default the side's parties."""
    return tuple(
        Case(
            f"{label} in {name}",
            api(only(allowed, ok=ok)) | dict.fromkeys(seers(side) if seers else parties, FORBIDDEN),
            args(side),
            method,
            data(side) if data else None,
            fresh=True,
            unchanged=unchanged,
        )
        for side, name, allowed, parties in SIDES
    )


def staff_api_create(label: str, *, unchanged: Any, data: Any) -> tuple[Case, ...]:
    """A create whose object is named in the body: staff of the other side 404, anyone
    who is not staff 403."""
    return tuple(
        Case(
            f"{label} in {name}",
            api(only(allowed, ok=201, other=FORBIDDEN))
            | {
                staff: NOT_FOUND
                for staff in ("district_staff", "other_district_staff")
                if staff not in allowed
            },
            lambda cast: {},
            "POST",
            data(side),
            fresh=True,
            unchanged=unchanged,
        )
        for side, name, allowed, _parties in SIDES
    )


def _count(model: Any) -> Any:
    return lambda cast, args: model.objects.count()


def new_meeting_data(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        region = _side(cast, side)[0]
        number = 500 + Meeting.objects.filter(region=region).count()
        return {"congress": region.congress.pk, "number": number, "held_on": "2027-03-01"}

    return build


def newly_granted(side: str) -> Builder:
    """A member of the side's committee granted after the meeting was scheduled."""

    def build(cast: Cast) -> dict[str, Any]:
        user: Any = UserFactory(username=f"late_{uuid.uuid4().hex[:8]}")
        grant(user, Role.COMMITTEE, region=_side(cast, side)[0])
        return {"user": user.pk}

    return build


def _attendance(cast: Cast, args: dict[str, Any]) -> Any:
    return sorted(
        MeetingMember.objects.filter(meeting_id=args["pk"]).values_list("user_id", "attended")
    )


def _item_title(cast: Cast, args: dict[str, Any]) -> str:
    return AgendaItem.objects.get(pk=args["pk"]).title


def fresh_inquiry(side: str) -> Builder:
    return lambda cast: {"pk": _meeting(cast, side).items.get(kind=ItemKind.INQUIRY).pk}


def fresh_question(side: str) -> Builder:
    """A new meeting's inquiry with one question, not answered yet."""

    def build(cast: Cast) -> dict[str, Any]:
        _region, staff, _department, _clerk = _side(cast, side)
        inquiry = _meeting(cast, side).items.get(kind=ItemKind.INQUIRY)
        asked = services.question_record(
            item=inquiry, asker="王委员", respondent="局长", text="何时整改？", by=staff
        )
        return {"pk": inquiry.pk, "question_id": asked.pk}

    return build


def _answer(cast: Cast, args: dict[str, Any]) -> str:
    return Question.objects.get(pk=args["question_id"]).answer


def heard_report_data(side: str) -> Builder:
    """A report heard at a new held meeting, and the opinion's body and text."""

    def build(cast: Cast) -> dict[str, Any]:
        _region, staff, department, clerk = _side(cast, side)
        report = _report(_meeting(cast, side))
        services.report_submit(item=report, text="报告", by=clerk)
        services.meeting_hold(meeting=report.meeting, by=staff)
        return {"item": report.pk, "department": department.pk, "text": "审议意见"}

    return build


def fresh_draft(side: str) -> Builder:
    return lambda cast: {"pk": _draft(cast, side).pk}


def _opinion_text(cast: Cast, args: dict[str, Any]) -> str:
    return ReviewOpinion.objects.get(pk=args["pk"]).text


_QUESTION = {"asker": "王委员", "respondent": "局长", "text": "何时整改？"}

RULES: dict[str, Rule] = {
    "supervision_meeting_list": page(signed_in()),
    "supervision_meeting_create": page(only(STAFF)),
    "supervision_meeting_detail": parties(meeting("in"), meeting("out")),
    "supervision_meeting_act": Rule(
        (
            Case(
                "会议已召开 in 海州区: its staff; a member or the clerk who sees it, 404",
                only(DISTRICT, ok=REDIRECT),
                fresh_meeting("in", action="meeting_hold"),
                "POST",
                fresh=True,
                unchanged=_meeting_status,
            ),
            Case(
                "in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh_meeting("out", action="meeting_hold"),
                "POST",
                fresh=True,
                unchanged=_meeting_status,
            ),
            Case(
                "GET is not a step",
                outcomes(NOT_ALLOWED, anonymous=LOGIN),
                lambda c: {"pk": 1, "action": "meeting_hold"},
            ),
        )
    ),
    "supervision_meeting_attendance": staff_only(meeting("in"), meeting("out")),
    "supervision_agenda_add": staff_only(meeting("in"), meeting("out")),
    "supervision_agenda_item": parties(item("in"), item("out")),
    # 修改议程 / 修改审议意见: the staff of the object's region; a member or clerk who sees
    # the item or the opinion gets 404 here, as everyone else.
    "supervision_agenda_edit": staff_only(item("in"), item("out")),
    "supervision_opinion_edit": staff_only(draft_opinion("in"), draft_opinion("out")),
    "supervision_question_answer": staff_only(question("in"), question("out")),
    "supervision_agenda_act": Rule(
        (
            Case(
                "报送报告 in 海州区: staff and its clerk; the member sees it but may not, 400",
                only((*DISTRICT, "clerk"), ok=REDIRECT, other=NOT_FOUND)
                | {"committee_member": BAD_REQUEST},
                fresh_report("in", action="report_submit"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_item_status,
            ),
            Case(
                "报送报告 in 临江区",
                only((*OTHER_DISTRICT, "other_clerk"), ok=REDIRECT),
                fresh_report("out", action="report_submit"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_item_status,
            ),
            Case(
                "发送组成人员 in 海州区: its staff; the clerk and the member see it but may not, 400",
                only(DISTRICT, ok=REDIRECT, other=NOT_FOUND)
                | {"clerk": BAD_REQUEST, "committee_member": BAD_REQUEST},
                fresh_received("in", action="members_send"),
                "POST",
                lambda c: {},
                fresh=True,
                unchanged=_sent_to_members,
            ),
            Case(
                "发送组成人员 in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT, other=NOT_FOUND) | {"other_clerk": BAD_REQUEST},
                fresh_received("out", action="members_send"),
                "POST",
                lambda c: {},
                fresh=True,
                unchanged=_sent_to_members,
            ),
            Case(
                "GET is not a step",
                outcomes(NOT_ALLOWED, anonymous=LOGIN),
                lambda c: {"pk": 1, "action": "report_submit"},
            ),
        )
    ),
    "supervision_evaluation_ballot": Rule(
        (
            Case(
                "the form, in 海州区: its members only", only(("committee_member",)), voting("in")
            ),
            Case("in 临江区: none of the cast is a member", only(()), voting("out")),
        )
    ),
    "supervision_inquiry_live": staff_only(
        item("in", ItemKind.INQUIRY), item("out", ItemKind.INQUIRY)
    ),
    "supervision_opinion_create": staff_only(item("in"), item("out")),
    "supervision_opinion_detail": Rule(
        (
            Case(
                "issued, in 海州区: staff and the body's clerk",
                only((*DISTRICT, "clerk")),
                opinion("in"),
            ),
            Case("issued, in 临江区", only((*OTHER_DISTRICT, "other_clerk")), opinion("out")),
        )
    ),
    "supervision_opinion_act": Rule(
        (
            Case(
                "研究处理情况报告 in 海州区: staff and its clerk",
                only((*DISTRICT, "clerk"), ok=REDIRECT),
                fresh_opinion("in", action="opinion_report_handling"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_opinion_status,
            ),
            Case(
                "in 临江区",
                only((*OTHER_DISTRICT, "other_clerk"), ok=REDIRECT),
                fresh_opinion("out", action="opinion_report_handling"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_opinion_status,
            ),
            Case(
                "GET is not a step",
                outcomes(NOT_ALLOWED, anonymous=LOGIN),
                lambda c: {"pk": 1, "action": "opinion_issue"},
            ),
        )
    ),
    # --- API ---
    "supervision-meeting-list": Rule(
        (
            Case("list", api(signed_in())),
            *staff_api_create(
                "schedule a meeting", unchanged=_count(Meeting), data=new_meeting_data
            ),
        )
    ),
    "supervision-meeting-members": Rule(
        (
            Case(
                "list in 海州区",
                api(only(DISTRICT)) | {"clerk": FORBIDDEN, "committee_member": FORBIDDEN},
                meeting("in"),
            ),
            Case(
                "list in 临江区",
                api(only(OTHER_DISTRICT)) | {"other_clerk": FORBIDDEN},
                meeting("out"),
            ),
            *staff_api_write(
                "add a member",
                ok=201,
                unchanged=_count(MeetingMember),
                args=fresh_meeting,
                data=newly_granted,
            ),
        )
    ),
    "supervision-meeting-attendance": Rule(
        (
            Case("get is not a step", api(signed_in(NOT_ALLOWED)), meeting("in")),
            *staff_api_write(
                "record attendance",
                ok=OK,
                unchanged=_attendance,
                args=fresh_meeting,
                data=lambda side: lambda cast: {"present": []},
            ),
        )
    ),
    "supervision-meeting-act": Rule(
        (
            *staff_api_write(
                "会议已召开",
                ok=OK,
                unchanged=_meeting_status,
                args=lambda side: fresh_meeting(side, action_name="meeting_hold"),
            ),
            Case(
                "get is not a step",
                api(signed_in(NOT_ALLOWED)),
                lambda c: {**meeting("in")(c), "action_name": "meeting_hold"},
            ),
        )
    ),
    "supervision-meeting-agenda": Rule(
        (
            Case("get is not a step", api(signed_in(NOT_ALLOWED)), meeting("in")),
            *staff_api_write(
                "put an inquiry on the agenda",
                ok=201,
                unchanged=_count(AgendaItem),
                args=fresh_meeting,
                data=lambda side: lambda cast: {"kind": ItemKind.INQUIRY, "title": "专题询问"},
            ),
        )
    ),
    "supervision-meeting-detail": Rule(
        (
            Case("in 海州区", api(only(IN_PARTIES)), meeting("in")),
            Case("in 临江区", api(only(OUT_PARTIES)), meeting("out")),
        )
    ),
    "supervision-agenda-item-list": page(api(signed_in())),
    "supervision-agenda-item-detail": Rule(
        (
            Case("in 海州区", api(only(IN_PARTIES)), item("in")),
            Case("in 临江区", api(only(OUT_PARTIES)), item("out")),
            *staff_api_write(
                "修改议程",
                ok=OK,
                unchanged=_item_title,
                args=fresh_report,
                data=lambda side: lambda cast: {"title": "新的议题"},
                method="PATCH",
            ),
        )
    ),
    # The inquiry: a clerk sees only their body's report, not the inquiry (404).
    "supervision-agenda-item-questions": Rule(
        (
            Case(
                "list in 海州区: staff and the member",
                api(only((*DISTRICT, "committee_member"))),
                item("in", ItemKind.INQUIRY),
            ),
            Case("list in 临江区", api(only(OTHER_DISTRICT)), item("out", ItemKind.INQUIRY)),
            *staff_api_write(
                "record a question",
                ok=201,
                unchanged=_count(Question),
                args=fresh_inquiry,
                data=lambda side: lambda cast: _QUESTION,
                seers=lambda side: ("committee_member",) if side == "in" else (),
            ),
        )
    ),
    "supervision-agenda-item-question-answer": Rule(
        (
            Case("get is not a step", api(signed_in(NOT_ALLOWED)), fresh_question("in")),
            *staff_api_write(
                "answer a question",
                ok=OK,
                unchanged=_answer,
                args=fresh_question,
                data=lambda side: lambda cast: {"answer": "年底前完成"},
                seers=lambda side: ("committee_member",) if side == "in" else (),
            ),
        )
    ),
    "supervision-agenda-item-act": Rule(
        (
            Case(
                "报送报告 in 海州区: staff and its clerk; the member 409",
                api(only((*DISTRICT, "clerk"))) | {"committee_member": CONFLICT},
                fresh_report("in", action_name="report_submit"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_item_status,
            ),
            Case(
                "报送报告 in 临江区",
                api(only((*OTHER_DISTRICT, "other_clerk"))),
                fresh_report("out", action_name="report_submit"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_item_status,
            ),
            Case(
                "a name that is no step: 400 for who sees it",
                api(only(IN_PARTIES, ok=BAD_REQUEST)),
                lambda c: {**item("in")(c), "action_name": "nonsense"},
                "POST",
            ),
        )
    ),
    "supervision-opinion-list": Rule(
        (
            Case("list", api(signed_in())),
            *staff_api_create(
                "draft an opinion", unchanged=_count(ReviewOpinion), data=heard_report_data
            ),
        )
    ),
    "supervision-opinion-detail": Rule(
        (
            Case("in 海州区", api(only((*DISTRICT, "clerk"))), opinion("in")),
            Case("in 临江区", api(only((*OTHER_DISTRICT, "other_clerk"))), opinion("out")),
            # A draft is its staff's alone (the clerk does not see it: 404).
            *staff_api_write(
                "修改审议意见",
                ok=OK,
                unchanged=_opinion_text,
                args=fresh_draft,
                data=lambda side: lambda cast: {"text": "修改后的意见"},
                method="PATCH",
                seers=lambda side: (),
            ),
            Case(
                "issued: 409 for its staff, 403 for the body's clerk who sees it",
                api(only(DISTRICT, ok=CONFLICT)) | {"clerk": FORBIDDEN},
                fresh_opinion("in"),
                "PATCH",
                lambda c: {"text": "修改后的意见"},
                fresh=True,
                unchanged=_opinion_text,
            ),
        )
    ),
    "supervision-opinion-act": Rule(
        (
            Case(
                "研究处理情况报告 in 海州区",
                api(only((*DISTRICT, "clerk"))),
                fresh_opinion("in", action_name="opinion_report_handling"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_opinion_status,
            ),
            Case(
                "in 临江区",
                api(only((*OTHER_DISTRICT, "other_clerk"))),
                fresh_opinion("out", action_name="opinion_report_handling"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_opinion_status,
            ),
            Case(
                "issued again: 409 for its staff",
                api(only(DISTRICT, ok=CONFLICT) | {"clerk": CONFLICT}),
                lambda c: {**opinion("in")(c), "action_name": "opinion_issue"},
                "POST",
            ),
        )
    ),
    "supervision-agenda-item-ballot": Rule(
        (
            Case(
                "post in 海州区: its members only",
                api(only(("committee_member",), ok=201)),
                fresh_voting("in"),
                "POST",
                lambda c: {"mark": Rating.SATISFIED},
                fresh=True,
            ),
            Case(
                "post in 临江区: none of the cast",
                api(only(())),
                fresh_voting("out"),
                "POST",
                lambda c: {"mark": Rating.SATISFIED},
                fresh=True,
            ),
            Case("get", api(signed_in(NOT_ALLOWED)), voting("in")),
        )
    ),
}

__all__ = ["API_ANONYMOUS", "OK", "RULES"]
