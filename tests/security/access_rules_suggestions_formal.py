"""Access rules of representatives' suggestions and motions (suggestions.formal).

Who sees a suggestion (``suggestion_scope_q`` in suggestions/formal/selectors.py,
docs/architecture.md, 'Who sees what'), and so who gets anything but a 404:
- its lead always; its co-signers once it leaves the draft (an invited co-signer sees
  it while it collects signatures, to answer);
- staff of its congress's region and above, and that congress's committee members,
  once it is submitted: a draft and a suggestion collecting signatures stay the
  representatives' own (the staff member who typed in a paper one sees it too);
- staff of the lead's own region while it waits for pre-review (submitted/returned);
- clerks of a department it is handed to; administrators see everything.

The cast: 刘红 (``representative``) sits for 海州区, 吴明 (``other_representative``) for
临江区, both also for 江海市 (the city congress, where they sign jointly). 海州区's
suggestions go to 海州区交通运输局 (``clerk``), 临江区's to 临江区住建局 (``other_clerk``).
Steps are taken through the app's services, as the people whose job they are.

A step on a suggestion someone may see but is not theirs to take is a 403 (the
services' ``NotPermitted``); one the state does not allow is a 409, bad input a
400; never a 5xx. Each step runs on a fresh object per persona (``fresh=True``)
where it changes its object; ``data`` is read once per case, so it only names
objects that stay put (a representative, a department, a group).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congress.models import Assignment, Department, Session, SessionKind, User
from congress.uploads import clean_attachment
from representatives.models import Representative, RepresentativeGroup
from suggestions.formal import services
from suggestions.models.formal import Suggestion
from tests.factories import DepartmentFactory
from tests.representatives.factories import seat
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
    Outcome,
    Rule,
    api,
    everyone,
    only,
    page,
    scoped,
    signed_in,
)
from tests.security.access_rules_representatives import _once, rep_in, rep_out, reps_exist
from tests.security.conftest import Cast

REP, OTHER_REP, COMMITTEE = "representative", "other_representative", "committee_member"
CLERK, OTHER_CLERK, ADMIN = "clerk", "other_clerk", "administrator"
# A submitted suggestion of 海州区 / 临江区: its lead, the staff above it, the city's
# committee members (the committee scope is the city and below, as for staff).
SEES_IN = (*DISTRICT, REP, COMMITTEE)
SEES_OUT = (*OTHER_DISTRICT, OTHER_REP, COMMITTEE)
# ... and once it is handed to a department, that department's clerk.
HANDLED_IN = (*SEES_IN, CLERK)
HANDLED_OUT = (*SEES_OUT, OTHER_CLERK)
# Congress staff (and administrators) of the congress: reports, review, 交办.
REPORTS_IN = (*DISTRICT, COMMITTEE)
REPORTS_OUT = (*OTHER_DISTRICT, COMMITTEE)
# The engine's assignment scope: staff of the region and the department's clerks.
ASSIGNMENT_IN = (*DISTRICT, CLERK)
ASSIGNMENT_OUT = (*OTHER_DISTRICT, OTHER_CLERK)


# --- the people and the sessions -----------------------------------------------------------


def city_seats(cast: Cast) -> None:
    """刘红 and 吴明 also sit in the city congress (a representative of several levels)."""

    def build() -> bool:
        seat(rep_in(cast), cast.world.city)
        seat(rep_out(cast), cast.world.city)
        return True

    _once(cast, "city_seats", build)


def zhang(cast: Cast) -> Representative:
    """张伟, a 海州区 representative without a login: someone 刘红 can invite."""

    def build() -> Representative:
        person = Representative.objects.create(
            name="张伟", gender="male", region=cast.world.village, mobile="13900000001"
        )
        seat(person, cast.world.district)
        return person

    return _once(cast, "zhang", build)


def second_department(cast: Cast) -> Department:
    """海州区住建局: where a suggestion goes after the transport bureau's return."""
    return _once(
        cast,
        "second_department",
        lambda: DepartmentFactory(name="海州区住房和城乡建设局", region=cast.world.district),
    )


def group_in(cast: Cast) -> RepresentativeGroup:
    return _once(
        cast,
        "group_in",
        lambda: RepresentativeGroup.objects.create(name="新浦街道代表小组", region=cast.world.town),
    )


def session(cast: Cast, where: str) -> Session:
    """The plenary session of 海州区 ("in"), 临江区 ("out") or the city, opened a month
    ago; "early" is 海州区's next one, still to open (suggestions to it are pre-submitted)."""

    def build() -> Session:
        region = {
            "in": cast.world.district,
            "early": cast.world.district,
            "out": cast.world.other_district,
            "city": cast.world.city,
        }[where]
        term = region.congress.current_term()
        assert term is not None
        early = where == "early"
        opens_on = timezone.localdate() + datetime.timedelta(days=30 if early else -30)
        return Session.objects.create(
            term=term,
            kind=SessionKind.PLENARY,
            number=2 if early else 1,
            opens_on=opens_on,
            closes_on=opens_on + datetime.timedelta(days=4),
        )

    return _once(cast, f"session_{where}", build)


def sessions_exist(cast: Cast) -> dict[str, Any]:
    session(cast, "in")
    session(cast, "out")
    return reps_exist(cast)


@dataclass(frozen=True)
class Side:
    """Everyone around a suggestion of one district."""

    lead: Representative
    user: User
    session: Session
    department: Department
    clerk: User
    staff: User


def side(cast: Cast, where: str) -> Side:
    if where == "out":
        return Side(
            rep_out(cast),
            cast.other_representative,
            session(cast, "out"),
            cast.world.other_department,
            cast.other_clerk,
            cast.other_district_staff,
        )
    return Side(
        rep_in(cast),
        cast.representative,
        session(cast, where),
        cast.world.department,
        cast.clerk,
        cast.district_staff,
    )


# --- suggestions at each stage, built through the services (a new one per call) ------------

TITLES = {
    "in": "关于优化海州区公交线网的建议",
    "early": "关于增设社区食堂的建议",
    "out": "关于临江区老旧小区加装电梯的建议",
    "city": "关于全市统一公交换乘优惠的建议",
}


def new_draft(cast: Cast, where: str = "in") -> Suggestion:
    people = side(cast, where)
    return services.suggestion_create(
        lead=people.lead,
        session=people.session,
        title=TITLES[where],
        content="群众反映出行不便，建议加密班次、新增线路。",
        category="transport",
        by=people.user,
    )


def new_submitted(cast: Cast, where: str = "in") -> Suggestion:
    suggestion = new_draft(cast, where)
    services.suggestion_submit(suggestion=suggestion, by=side(cast, where).user)
    return suggestion


def new_registered(cast: Cast, where: str = "in") -> Suggestion:
    suggestion = new_submitted(cast, where)
    services.suggestion_review(
        suggestion=suggestion, decision="register", by=side(cast, where).staff
    )
    return suggestion


def new_handling(cast: Cast, where: str = "in") -> Suggestion:
    """交办 to the district's department (the clerk's, in 海州区) as lead."""
    suggestion = new_registered(cast, where)
    people = side(cast, where)
    services.suggestion_assign(
        suggestion=suggestion, lead_department=people.department, by=people.staff
    )
    return suggestion


def lead_of(suggestion: Suggestion) -> Assignment:
    suggestion.refresh_from_db()
    assert suggestion.lead_assignment_id is not None
    return Assignment.objects.get(pk=suggestion.lead_assignment_id)


def new_accepted(cast: Cast, where: str = "in") -> Assignment:
    suggestion = new_handling(cast, where)
    assignment = lead_of(suggestion)
    services.handling_accept(assignment=assignment, by=side(cast, where).clerk)
    return assignment


def new_replied(cast: Cast, where: str = "in", category: str = "A") -> Suggestion:
    """Answered by the lead department with a reply letter (a PDF) attached."""
    assignment = new_accepted(cast, where)
    suggestion = Suggestion.objects.get(pk=assignment.case_id)
    letter = clean_attachment(SimpleUploadedFile("答复函.pdf", b"%PDF-1.4\n%reply\n"))
    services.suggestion_reply(
        suggestion=suggestion,
        category=category,
        text="已新增公交线路两条。",
        signing_official="李局长",
        by=side(cast, where).clerk,
        uploads=[letter],
    )
    suggestion.refresh_from_db()
    return suggestion


def new_return_requested(cast: Cast) -> Assignment:
    assignment = lead_of(new_handling(cast))
    services.handling_request_return(
        assignment=assignment, reason="不属于本单位职责", by=cast.clerk
    )
    return assignment


def new_returned(cast: Cast) -> Suggestion:
    assignment = new_return_requested(cast)
    services.handling_decide_return(assignment=assignment, approve=True, by=cast.district_staff)
    return Suggestion.objects.get(pk=assignment.case_id)


def new_extension_requested(cast: Cast) -> Assignment:
    assignment = new_accepted(cast)
    services.handling_request_extension(
        assignment=assignment, until=later(assignment), reason="需区财政资金", by=cast.clerk
    )
    return assignment


def later(assignment: Assignment) -> datetime.date:
    return assignment.due_on + datetime.timedelta(days=20)


def new_co_handled(cast: Cast) -> Assignment:
    """海州区住建局 leads; the clerk's transport bureau co-handles (协办) and has signed."""
    suggestion = new_registered(cast)
    services.suggestion_assign(
        suggestion=suggestion,
        lead_department=second_department(cast),
        co_handlers=[cast.world.department],
        by=cast.district_staff,
    )
    assignment = _co_assignment(cast, suggestion)
    services.handling_accept(assignment=assignment, by=cast.clerk)
    return assignment


def _co_assignment(cast: Cast, suggestion: Suggestion) -> Assignment:
    lead = lead_of(suggestion)
    return Assignment.objects.get(
        case_type=lead.case_type, case_id=suggestion.pk, department=cast.world.department
    )


def new_carried_over(cast: Cast) -> Assignment:
    """A B-class reply rated satisfied: followed into next year; the clerk has signed for
    the follow-up (跨年度跟踪)."""
    suggestion = new_replied(cast, category="B")
    services.suggestion_rate(
        suggestion=suggestion,
        representative=rep_in(cast),
        attitude="satisfied",
        result="satisfied",
        by=cast.representative,
    )
    follow_up = lead_of(suggestion)
    services.handling_accept(assignment=follow_up, by=cast.clerk)
    return follow_up


def new_cosigning(cast: Cast) -> Suggestion:
    """刘红's city suggestion with 吴明 invited to co-sign (附议), collecting signatures."""
    city_seats(cast)
    suggestion = services.suggestion_create(
        lead=rep_in(cast),
        session=session(cast, "city"),
        title=TITLES["city"],
        content="两区公交换乘不优惠，群众负担重。",
        category="transport",
        by=cast.representative,
    )
    services.suggestion_invite_cosigners(
        suggestion=suggestion, representatives=[rep_out(cast)], by=cast.representative
    )
    services.suggestion_start_cosigning(suggestion=suggestion, by=cast.representative)
    return suggestion


def new_draft_inviting(cast: Cast) -> Suggestion:
    """刘红's 海州区 draft with 张伟 on the list, the invitation not yet sent."""
    suggestion = new_draft(cast)
    services.suggestion_invite_cosigners(
        suggestion=suggestion, representatives=[zhang(cast)], by=cast.representative
    )
    return suggestion


# The objects that requests do not change: built once per test.


def once(key: str, build: Callable[[Cast], Any]) -> Callable[[Cast], Any]:
    return lambda cast: _once(cast, key, lambda: build(cast))


draft_in = once("draft_in", new_draft)
draft_out = once("draft_out", lambda c: new_draft(c, "out"))
submitted_in = once("submitted_in", new_submitted)
handling_in = once("handling_in", new_handling)
handling_out = once("handling_out", lambda c: new_handling(c, "out"))
replied_in = once("replied_in", new_replied)
cosigning = once("cosigning", new_cosigning)
draft_inviting = once("draft_inviting", new_draft_inviting)


def _new_inviting(cast: Cast) -> Suggestion:
    """A new draft inviting 张伟, remembered for the form that takes the invitation back."""
    cast.objects["inviting_now"] = new_draft_inviting(cast)
    return cast.objects["inviting_now"]


def _zhangs_invitation(cast: Cast) -> dict[str, Any]:
    suggestion = cast.objects["inviting_now"]
    return {"signer": suggestion.signers.get(representative=zhang(cast)).pk}


def _joint(cast: Cast) -> Suggestion:
    """The city suggestion co-signed by 吴明 and submitted: waiting for review."""
    suggestion = new_cosigning(cast)
    services.signer_respond(
        signer=suggestion.signers.get(representative=rep_out(cast)),
        confirm=True,
        by=cast.other_representative,
    )
    services.suggestion_submit(suggestion=suggestion, by=cast.representative)
    return suggestion


joint = once("joint", _joint)


def _published_out(cast: Cast) -> Suggestion:
    """吴明's 临江区 suggestion, answered, and he agreed to publish the reply."""
    suggestion = new_replied(cast, "out")
    services.suggestion_set_publish_consent(
        suggestion=suggestion, consent=True, by=cast.other_representative
    )
    return suggestion


published_out = once("published_out", _published_out)


def _paper_draft(cast: Cast) -> Suggestion:
    """A paper suggestion of 刘红's typed in by 海州区's staff (代录), not yet submitted."""
    return services.suggestion_create(
        lead=rep_in(cast),
        session=session(cast, "in"),
        title="关于增设老年助餐点的建议",
        content="老年人就餐难。",
        category="social",
        by=cast.district_staff,
    )


paper_draft = once("paper_draft", _paper_draft)


def everything(cast: Cast) -> dict[str, Any]:
    """Something at every stage on both sides, for the lists and reports."""
    for build in (draft_in, draft_out, submitted_in, handling_in, handling_out, replied_in):
        build(cast)
    published_out(cast)
    joint(cast)
    return {}


def pk(build: Callable[[Cast], Any], **extra: Any) -> Builder:
    return lambda cast: {"pk": build(cast).pk, **extra}


def session_pk(where: str) -> Builder:
    return lambda cast: sessions_exist(cast) | {"session_id": session(cast, where).pk}


def token_of(suggestion: Suggestion) -> str:
    reply = suggestion.replies.get()
    return str(reply.event.attachments.get().token)


def attachment_of(
    build: Callable[[Cast], Suggestion], token_from: Callable[[Cast], Suggestion]
) -> Builder:
    return lambda cast: {"pk": build(cast).pk, "token": token_of(token_from(cast))}


# --- expectations --------------------------------------------------------------------------


def acts(
    allowed: Iterable[str],
    refused: Iterable[str] = (),
    refusal: Outcome = FORBIDDEN,
    /,
    **given: Outcome,
) -> dict[str, Outcome]:
    """A step: ``allowed`` take it (sent back to the page), ``refused`` see the
    suggestion but may not take it (403), everyone else gets a 404."""
    expect = only(allowed, ok=REDIRECT)
    expect.update(dict.fromkeys(refused, refusal))
    expect.update(given)
    return expect


def as_api(expect: dict[str, Outcome]) -> dict[str, Outcome]:
    """The same step through the API: 200 with the object instead of a redirect."""
    return {
        p: OK if o == REDIRECT else API_ANONYMOUS if o == LOGIN else o for p, o in expect.items()
    }


@dataclass(frozen=True)
class Step:
    """One step on a suggestion (or an assignment), as the page and the API take it."""

    label: str
    name: str  # the action (the page's …/act/<name>/, the API's …/actions/<name>/)
    build: Callable[[Cast], Any]  # the suggestion (or assignment) it acts on
    expect: dict[str, Outcome]
    data: Builder | None = None  # the form
    api_data: Builder | None = None  # the JSON body, where it differs from the form
    fresh: bool = False

    def page_case(self) -> Case:
        build, name = self.build, self.name
        return Case(
            f"{name}: {self.label}",
            self.expect,
            lambda cast: {"pk": build(cast).pk, "action": name},
            "POST",
            self.data,
            fresh=self.fresh,
        )

    def api_case(self) -> Case:
        return Case(
            f"{self.name}: {self.label}",
            as_api(self.expect),
            pk(self.build, action_name=self.name),
            "POST",
            self.api_data or self.data,
            fresh=self.fresh,
        )


def _data(**values: Any) -> Builder:
    return lambda cast: dict(values)


def today() -> str:
    return timezone.localdate().isoformat()


TEXT = {"title": "关于优化公交线网的建议（修改稿）", "content": "补充调研数据。"}
RATING = {"attitude": "satisfied", "result": "basically"}
REPLY = {"category": "A", "text": "已办理。", "signing_official": "李局长"}

SUGGESTION_STEPS: list[Step] = [
    Step(
        "the lead invites 张伟 to co-sign",
        "invite",
        new_draft,
        acts((REP,), (ADMIN,)),
        lambda c: {"representatives": [zhang(c).pk]},
        fresh=True,
    ),
    Step(
        "the lead starts collecting signatures",
        "start_cosigning",
        new_draft_inviting,
        acts((REP,), (ADMIN,)),
        fresh=True,
    ),
    Step(
        "吴明 confirms; the lead is no invitee (409)",
        "cosign",
        new_cosigning,
        # The administrator sees it but has no signature to give: no such signer, 404.
        acts((OTHER_REP,), (REP,), 409),
        _data(answer="confirm"),
        fresh=True,
    ),
    Step("the lead submits the draft", "submit", new_draft, acts((REP,), (ADMIN,)), fresh=True),
    Step(
        "submitting what is handled already (409; staff and clerks: not theirs)",
        "submit",
        handling_in,
        acts((), (*DISTRICT, COMMITTEE, CLERK), **{REP: 409}),
    ),
    Step(
        "the lead withdraws before review",
        "withdraw",
        new_submitted,
        acts((REP,), (*DISTRICT, COMMITTEE)),
        fresh=True,
    ),
    Step(
        "staff return a pre-submitted one before the session opens",
        "pre_return",
        lambda c: new_submitted(c, "early"),
        acts(DISTRICT, (REP, COMMITTEE)),
        _data(comment="请补充调研数据"),
        fresh=True,
    ),
    Step(
        "pre-review once the session has opened (400)",
        "pre_return",
        submitted_in,
        acts((), (REP, COMMITTEE), **dict.fromkeys(DISTRICT, 400)),
        _data(comment="请补充调研数据"),
    ),
    Step(
        "staff register it (立案)",
        "review",
        new_submitted,
        acts(DISTRICT, (REP, COMMITTEE)),
        _data(decision="register"),
        fresh=True,
    ),
    Step(
        "staff hand it to the transport bureau (交办)",
        "assign",
        new_registered,
        acts(DISTRICT, (REP, COMMITTEE)),
        lambda c: {"lead_department": c.world.department.pk},
        fresh=True,
    ),
    Step(
        "handing out what is handed out already (409)",
        "assign",
        handling_in,
        acts((), (REP, COMMITTEE, CLERK), **dict.fromkeys(DISTRICT, 409)),
        lambda c: {"lead_department": c.world.department.pk},
    ),
    Step(
        "after an approved return, staff hand it to 住建局",
        "reassign",
        new_returned,
        # The bureau that sent it back still sees it (its returned assignment stays).
        acts(DISTRICT, (REP, COMMITTEE, CLERK)),
        lambda c: {"department": second_department(c).pk},
        fresh=True,
    ),
    Step(
        "reassigning without a return (400)",
        "reassign",
        handling_in,
        acts((), (REP, COMMITTEE, CLERK), **dict.fromkeys(DISTRICT, 400)),
        lambda c: {"department": second_department(c).pk},
    ),
    Step(
        "the lead rates the reply",
        "rate",
        new_replied,
        # Rating online is a signer's own: anyone else has no rating to give (404).
        acts((REP,)),
        _data(**RATING),
        fresh=True,
    ),
    Step(
        "rating before any reply (409)",
        "rate",
        handling_in,
        acts((), **{REP: 409}),
        _data(**RATING),
    ),
    Step(
        "staff enter 刘红's paper rating form",
        "paper_rating",
        new_replied,
        acts(DISTRICT, (REP, COMMITTEE, CLERK)),
        lambda c: {"representative": rep_in(c).pk, **RATING},
        fresh=True,
    ),
    Step(
        "staff end the rating",
        "close_rating",
        new_replied,
        acts(DISTRICT, (REP, COMMITTEE, CLERK)),
        fresh=True,
    ),
    Step(
        "staff mark it for key supervision (重点督办)",
        "key",
        handling_in,
        acts(DISTRICT, (REP, COMMITTEE, CLERK)),
        _data(is_key="on", leading_official="王副区长", supervisor="陈副主任"),
        _data(is_key=True, leading_official="王副区长", supervisor="陈副主任"),
    ),
    Step(
        "key supervision before 立案 (400)",
        "key",
        submitted_in,
        acts((), (REP, COMMITTEE), **dict.fromkeys(DISTRICT, 400)),
        _data(is_key="on", leading_official="王副区长", supervisor="陈副主任"),
        _data(is_key=True, leading_official="王副区长", supervisor="陈副主任"),
    ),
    Step(
        "the lead agrees to publish the reply",
        "publish",
        replied_in,
        acts((REP,), (*DISTRICT, COMMITTEE, CLERK)),
        _data(consent="on"),
        _data(consent=True),
    ),
    Step(
        "a representative group's second evaluation",
        "group_evaluation",
        replied_in,
        acts(DISTRICT, (REP, COMMITTEE, CLERK)),
        lambda c: {
            "group": group_in(c).pk,
            "held_on": today(),
            "participants": 9,
            "result": "satisfied",
        },
    ),
    Step(
        "a second evaluation before any reply (400)",
        "group_evaluation",
        handling_in,
        acts((), (REP, COMMITTEE, CLERK), **dict.fromkeys(DISTRICT, 400)),
        lambda c: {
            "group": group_in(c).pk,
            "held_on": today(),
            "participants": 9,
            "result": "satisfied",
        },
    ),
    Step(
        "the bureau's contact with the representative (面商)",
        "contact",
        handling_in,
        # The form offers a representative or committee member no department: 400.
        acts((*DISTRICT, CLERK), (REP, COMMITTEE), 400),
        lambda c: {
            "department": c.world.department.pk,
            "stage": "before",
            "method": "face",
            "contacted_on": today(),
            "note": "当面听取意见",
        },
    ),
    Step(
        "the lead takes back an invitation; the administrator may not",
        "uninvite",
        _new_inviting,
        acts((REP,), (ADMIN,)),
        _zhangs_invitation,
        fresh=True,
    ),
    Step(
        "taking a co-signer off a submitted suggestion (409)",
        "uninvite",
        joint,
        acts((), (OTHER_REP, "city_staff", ADMIN, COMMITTEE, "district_staff"), **{REP: 409}),
        lambda c: {"signer": joint(c).signers.get(representative=rep_out(c)).pk},
    ),
]

# The assignment steps: the department's own (签收, 退回, 延期, 答复) and the staff's decisions.
ASSIGNMENT_STEPS: list[Step] = [
    Step(
        "the clerk signs for it (签收)",
        "accept",
        lambda c: lead_of(new_handling(c)),
        acts((CLERK,), DISTRICT),
        fresh=True,
    ),
    Step(
        "signing twice (409)",
        "accept",
        lambda c: lead_of(replied_in(c)),
        acts((), DISTRICT, **{CLERK: 409}),
    ),
    Step(
        "the clerk asks to return it",
        "request_return",
        lambda c: lead_of(new_handling(c)),
        acts((CLERK,), DISTRICT),
        _data(reason="不属于本单位职责"),
        fresh=True,
    ),
    Step(
        "staff approve the return",
        "decide_return",
        new_return_requested,
        acts(DISTRICT, (CLERK,)),
        _data(approve="1"),
        _data(approve=True),
        fresh=True,
    ),
    Step(
        "deciding a return nobody asked for (409)",
        "decide_return",
        lambda c: lead_of(handling_in(c)),
        acts((), (CLERK,), **dict.fromkeys(DISTRICT, 409)),
        _data(approve="1"),
        _data(approve=True),
    ),
    Step(
        "the clerk asks for more time",
        "request_extension",
        new_accepted,
        acts((CLERK,), DISTRICT),
        lambda c: {"until": later(lead_of(handling_in(c))).isoformat(), "reason": "需区财政资金"},
        fresh=True,
    ),
    Step(
        "staff approve the extension",
        "decide_extension",
        new_extension_requested,
        acts(DISTRICT, (CLERK,)),
        _data(approve="1"),
        _data(approve=True),
        fresh=True,
    ),
    Step(
        "the clerk reports progress",
        "progress",
        lambda c: lead_of(handling_in(c)),
        acts((CLERK,), DISTRICT),
        _data(note="已完成线路踏勘"),
    ),
    Step(
        "progress on a finished assignment (400)",
        "progress",
        lambda c: lead_of(published_out(c)),
        acts((), OTHER_DISTRICT, **{OTHER_CLERK: 400}),
        _data(note="已完成线路踏勘"),
    ),
    Step(
        "the co-handling clerk sends an opinion (协办意见)",
        "opinion",
        new_co_handled,
        acts((CLERK,), DISTRICT),
        _data(text="建议结合轨道交通站点优化"),
        fresh=True,
    ),
    Step(
        "an opinion from the lead department (400)",
        "opinion",
        lambda c: lead_of(handling_in(c)),
        acts((), DISTRICT, **{CLERK: 400}),
        _data(text="建议结合轨道交通站点优化"),
    ),
    Step(
        "the clerk replies (答复)",
        "reply",
        new_accepted,
        acts((CLERK,), DISTRICT),
        _data(**REPLY),
        fresh=True,
    ),
    Step(
        "replying twice (409, for whoever may see it: the state is checked first)",
        "reply",
        lambda c: lead_of(replied_in(c)),
        acts((), (*DISTRICT, CLERK), 409),
        _data(**REPLY),
    ),
    Step(
        "the clerk reports on a carried-over item (跨年度跟踪)",
        "follow_up",
        new_carried_over,
        acts((CLERK,), DISTRICT),
        _data(**REPLY),
        fresh=True,
    ),
]


def _api_rule(steps: list[Step], no_such: Case) -> Rule:
    """The API's one ``actions/<name>/`` route: every step, and a name not in the table
    (400 with the list of names for whoever sees the object; 404 for everyone else)."""
    return Rule((no_such, *(step.api_case() for step in steps)))


# --- the table -----------------------------------------------------------------------------

_DETAIL_CASES = (
    Case("handled in 海州区", only(HANDLED_IN), pk(handling_in)),
    Case("handled in 临江区", only(HANDLED_OUT), pk(handling_out)),
    Case("submitted, not yet handed out", only(SEES_IN), pk(submitted_in)),
    Case("刘红's draft", only((REP, ADMIN)), pk(draft_in)),
    Case("吴明's draft", only((OTHER_REP, ADMIN)), pk(draft_out)),
    Case(
        "a draft 张伟 is invited to (not sent yet: still the lead's own)",
        only((REP, ADMIN)),
        pk(draft_inviting),
    ),
    Case(
        "a paper draft: its lead and the staff member who typed it in",
        only((REP, "district_staff", ADMIN)),
        pk(paper_draft),
    ),
    Case(
        "collecting signatures: the lead and the invited co-signer",
        only((REP, OTHER_REP, ADMIN)),
        pk(cosigning),
    ),
    Case(
        "the joint city suggestion, submitted: co-signer, city, and the lead's district "
        "(pre-review)",
        only((REP, OTHER_REP, "city_staff", ADMIN, COMMITTEE, "district_staff")),
        pk(joint),
    ),
)


def _api_detail_cases() -> tuple[Case, ...]:
    return tuple(Case(case.label, api(dict(case.expect)), case.args) for case in _DETAIL_CASES)


RULES: dict[str, Rule] = {
    # Lists: everyone signed in, each seeing their own scope (test_scope_content_*).
    "formal_suggestion_list": page(signed_in(), args=everything),
    "formal_key_list": page(signed_in(), args=everything),
    "formal_workspace": page(only((CLERK, OTHER_CLERK)), args=everything),
    "formal_suggestion_create": Rule(
        (
            Case(
                "the form: representatives file, staff type in paper ones",
                only((REP, OTHER_REP, *STAFF)),
                reps_exist,
            ),
            Case(
                "刘红 files to 海州区's session; staff enter it for her (代录)",
                # Out of scope the session or the lead is no choice: the form comes back (400).
                only((REP, *DISTRICT), ok=REDIRECT, other=400)
                | dict.fromkeys((CLERK, OTHER_CLERK, COMMITTEE), NOT_FOUND),
                sessions_exist,
                "POST",
                lambda c: {
                    "kind": "suggestion",
                    "session": session(c, "in").pk,
                    "lead": rep_in(c).pk,
                    "title": "关于增设停车位的建议",
                    "category": "urban",
                    "content": "小区停车难。",
                },
            ),
        )
    ),
    # Reports: staff and committee members of the session's congress.
    "formal_report": page(only((*STAFF, COMMITTEE)), args=sessions_exist),
    "formal_report_print": scoped(
        session_pk("in"), session_pk("out"), allowed_in=REPORTS_IN, allowed_out=REPORTS_OUT
    ),
    "formal_report_xlsx": scoped(
        session_pk("in"), session_pk("out"), allowed_in=REPORTS_IN, allowed_out=REPORTS_OUT
    ),
    # One suggestion
    "formal_suggestion_detail": Rule(_DETAIL_CASES),
    "formal_suggestion_edit": Rule(
        (
            Case("刘红's draft", only((REP, ADMIN)), pk(draft_in)),
            Case(
                "submitted already: back to the page",
                only(HANDLED_IN, ok=REDIRECT),
                pk(handling_in),
            ),
            Case(
                "saving: only the lead",
                only((REP,), ok=REDIRECT) | {ADMIN: FORBIDDEN},
                pk(draft_in),
                "POST",
                _data(kind="suggestion", category="transport", **TEXT),
            ),
        )
    ),
    "formal_attachment": Rule(
        (
            Case(
                "the reply letter in 海州区",
                only(HANDLED_IN),
                attachment_of(replied_in, replied_in),
            ),
            Case(
                "the reply letter in 临江区",
                only(HANDLED_OUT),
                attachment_of(published_out, published_out),
            ),
            Case(
                "临江区's letter under 海州区's suggestion",
                only(()),
                attachment_of(replied_in, published_out),
            ),
        )
    ),
    "formal_suggestion_act": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), pk(handling_in, action="submit")),
            Case("no such step", signed_in(NOT_FOUND), pk(handling_in, action="explode"), "POST"),
            *(step.page_case() for step in SUGGESTION_STEPS),
        )
    ),
    "formal_assignment_act": Rule(
        (
            Case(
                "get",
                signed_in(NOT_ALLOWED),
                lambda c: {"pk": lead_of(handling_in(c)).pk, "action": "accept"},
            ),
            *(step.page_case() for step in ASSIGNMENT_STEPS),
        )
    ),
    # The public disclosure pages: published replies for everyone, nothing else.
    "formal_public_list": page(everyone(OK), args=everything),
    "formal_public_detail": Rule(
        (
            Case("a published reply", everyone(OK), pk(published_out)),
            Case("a reply not agreed for publication", everyone(NOT_FOUND), pk(replied_in)),
            Case("in handling", everyone(NOT_FOUND), pk(handling_in)),
        )
    ),
    # The API
    "formal-suggestion-list": Rule(
        (
            Case("list", api(signed_in()), everything),
            Case("create with nothing", api(signed_in(400)), reps_exist, "POST"),
            Case(
                "刘红's suggestion to 海州区's session, filed by her or typed in by staff",
                # Outside the staff's scope (committee members have none in the
                # registry) 刘红 is no one you can name: 404.
                api(only((REP, *DISTRICT), ok=201)),
                sessions_exist,
                "POST",
                lambda c: {
                    "session": session(c, "in").pk,
                    "lead": rep_in(c).pk,
                    "title": "关于增设停车位的建议",
                    "category": "urban",
                    "content": "小区停车难。",
                },
            ),
        )
    ),
    "formal-suggestion-detail": Rule(
        (
            *_api_detail_cases(),
            Case(
                "editing 刘红's draft",
                api(only((REP,)) | {ADMIN: FORBIDDEN}),
                pk(draft_in),
                "PATCH",
                _data(**TEXT),
            ),
            Case(
                "editing what is submitted (409; not theirs: 403)",
                api(acts((), (*DISTRICT, COMMITTEE, CLERK), **{REP: 409})),
                pk(handling_in),
                "PATCH",
                _data(**TEXT),
            ),
        )
    ),
    "formal-suggestion-timeline": Rule(
        (
            Case("handled in 海州区", api(only(HANDLED_IN)), pk(handling_in)),
            Case("handled in 临江区", api(only(HANDLED_OUT)), pk(handling_out)),
            Case("刘红's draft", api(only((REP, ADMIN))), pk(draft_in)),
        )
    ),
    "formal-suggestion-report": scoped(
        session_pk("in"),
        session_pk("out"),
        allowed_in=REPORTS_IN,
        allowed_out=REPORTS_OUT,
        anonymous=API_ANONYMOUS,
    ),
    "formal-assignment-list": Rule(
        (
            Case("list", api(signed_in()), everything),
            Case("the clerk's own (?mine=1)", api(signed_in()), everything, query="mine=1"),
        )
    ),
    "formal-assignment-detail": scoped(
        lambda c: {"pk": lead_of(handling_in(c)).pk},
        lambda c: {"pk": lead_of(handling_out(c)).pk},
        allowed_in=ASSIGNMENT_IN,
        allowed_out=ASSIGNMENT_OUT,
        anonymous=API_ANONYMOUS,
    ),
    "formal-public-suggestion-list": page(everyone(OK), args=everything),
    "formal-public-suggestion-detail": Rule(
        (
            Case("a published reply", everyone(OK), pk(published_out)),
            Case("a reply not agreed for publication", everyone(NOT_FOUND), pk(replied_in)),
        )
    ),
    "formal-suggestion-act": _api_rule(
        SUGGESTION_STEPS,
        Case(
            "no such action",
            api(only(HANDLED_IN, ok=400)),
            pk(handling_in, action_name="explode"),
            "POST",
        ),
    ),
    "formal-assignment-act": _api_rule(
        ASSIGNMENT_STEPS,
        Case(
            "no such action",
            api(only(ASSIGNMENT_IN, ok=400)),
            lambda c: {"pk": lead_of(handling_in(c)).pk, "action_name": "explode"},
            "POST",
        ),
    ),
}


def suggestions_in_both_districts(cast: Cast) -> None:
    """For the API replay (test_api_fuzz.py): suggestions and their assignments in 海州区
    and 临江区, a draft, and the joint city one, so a list/detail pair has rows to replay."""
    everything(cast)


__all__ = ["RULES", "suggestions_in_both_districts"]


# --- writes that would move a suggestion into another jurisdiction (docs/security.md) -------
# 海州区's suggestion handed to 临江区's bureau, and a paper suggestion (代录) typed in for
# another district's representative or session: refused, and read back unchanged
# (Case.unchanged). 海州区's staff do not see 临江区's bureau (404); the city's staff and
# an administrator see both, and are told the bureau is not one this suggestion can go
# to (400). Appended by small insertions: the steps above are being reshaped.


def _suggestion_as_stored(cast: Cast, args: dict[str, Any]) -> Any:
    return (
        Suggestion.objects.filter(pk=args["pk"]).values().first(),
        list(Assignment.objects.filter(case_id=args["pk"]).values_list("pk", "status")),
    )


def _suggestions_counted(cast: Cast, args: dict[str, Any]) -> int:
    return Suggestion.objects.count()


def _to_other_bureau(field: str) -> Builder:
    return lambda cast: {field: cast.world.other_department.pk}


def _moving_steps() -> list[tuple[str, str, Callable[[Cast], Any], dict[str, Outcome], Builder]]:
    return [
        (
            "交办 to 临江区's bureau",
            "assign",
            new_registered,
            acts((), (REP, COMMITTEE), **(dict.fromkeys(DISTRICT, 400) | {"district_staff": 404})),
            _to_other_bureau("lead_department"),
        ),
        (
            "after an approved return, 临江区's bureau",
            "reassign",
            new_returned,
            acts(
                (),
                (REP, COMMITTEE, CLERK),
                **(dict.fromkeys(DISTRICT, 400) | {"district_staff": 404}),
            ),
            _to_other_bureau("department"),
        ),
    ]


def _add_moves() -> None:
    for label, name, build, expect, data in _moving_steps():

        def page_args(cast: Cast, build: Any = build, name: str = name) -> dict[str, Any]:
            return {"pk": build(cast).pk, "action": name}

        page_case = Case(
            f"{name}: {label}",
            expect,
            page_args,
            "POST",
            data,
            fresh=True,
            unchanged=_suggestion_as_stored,
        )
        api_case = Case(
            f"{name}: {label}",
            as_api(expect),
            pk(build, action_name=name),
            "POST",
            data,
            fresh=True,
            unchanged=_suggestion_as_stored,
        )
        for key, case in (
            ("formal_suggestion_act", page_case),
            ("formal-suggestion-act", api_case),
        ):
            RULES[key] = Rule((*RULES[key].cases, case), RULES[key].note, RULES[key].methods)


def _paper(lead: Callable[[Cast], Representative], where: str) -> Builder:
    return lambda cast: {
        "kind": "suggestion",
        "session": session(cast, where).pk,
        "lead": lead(cast).pk,
        "title": "关于增设停车位的建议",
        "category": "urban",
        "content": "小区停车难。",
    }


_add_moves()
RULES["formal_suggestion_create"] = Rule(
    (
        *RULES["formal_suggestion_create"].cases,
        # 海州区's staff typing in 吴明's paper suggestion to 海州区's session: he is no
        # choice for them (the form comes back, 400); for 吴明's own staff the session is
        # none. Nothing is filed. (A representative's own form has no lead to choose:
        # 刘红 files her own suggestion, the one write here.)
        Case(
            "代录: 临江区's representative to 海州区's session",
            only((OTHER_REP, *STAFF), ok=400)
            | dict.fromkeys((CLERK, COMMITTEE), NOT_FOUND)
            | {REP: REDIRECT},
            sessions_exist,
            "POST",
            _paper(rep_out, "in"),
            unchanged=_suggestions_counted,
            writers=(REP,),
        ),
    ),
    RULES["formal_suggestion_create"].note,
    RULES["formal_suggestion_create"].methods,
)
