"""Every write of representatives' suggestions: ``<entity>_<action>(*, ..., by=user)``.

A suggestion's own status moves through ``congress.workflow.apply_transition`` with the
table in ``suggestions.formal.workflow``; the departments' steps (签收, 退回, 延期, 答复)
are the closed-loop engine's assignment services, called here with this case type's
rules around them (代表法 2025 第51–52条; docs/architecture.md, 'Representatives'
suggestions'). A refusal raises a ``congress.errors.DomainError`` and changes nothing:
every service that writes more than one row does so in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import loop
from congress.areas import area_columns
from congress.errors import DomainError, InvalidTransition, RuleViolation, StaleState
from congress.files import attach_to_event
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    CaseEvent,
    Department,
    Session,
    SessionKind,
    User,
)
from congress.notifications import notify
from congress.rules import rules_at
from congress.scoping import require_in_jurisdiction, require_within_reach
from congress.uploads import CleanUpload
from congress.workdays import add_deadline, workdays_between
from congress.workflow import apply_transition, record_event
from representatives.models import Mandate, MandateStatus, Representative, RepresentativeGroup
from representatives.selectors import representative_of
from suggestions.formal import conf, points
from suggestions.formal.handling_ratings import suggestion_answer_rated
from suggestions.formal.selectors import (
    TAKEN_UP,
    active_mandate,
    handler_users_of,
    handles,
    is_pre_reviewer,
    is_staff_for,
    latest_main_reply,
    lead_assignment_of,
    may_file_for,
    signer_users,
    staff_users_of,
    suggestion_assignments,
    unassigned_due,
)
from suggestions.formal.workflow import (
    EDITABLE,
    SIGNER_CASE,
    SIGNER_TRANSITIONS,
    SUGGESTION_CASE,
    SUGGESTION_TRANSITIONS,
)
from suggestions.models.formal import (
    GroupEvaluation,
    HandlingContact,
    HandlingMethod,
    HandlingStage,
    RatingChannel,
    ReplyCategory,
    SignerRole,
    SignerStatus,
    Suggestion,
    SuggestionCategory,
    SuggestionKind,
    SuggestionRating,
    SuggestionReply,
    SuggestionSatisfaction,
    SuggestionSigner,
    SuggestionStatus,
)

S = SuggestionStatus
REVIEW_DECISIONS = ("register", "convert_to_suggestion", "merge", "convert_to_letter", "refuse")
TAKING_UP = ("register", "convert_to_suggestion")  # 立案: the suggestion is TAKEN_UP from then
# The recount and the check of the suggestions signed per month (履职积分's summary,
# kept by ``suggestion_review``), for ``manage.py signed_counts_rebuild``: code outside
# this half of the app reaches it through its services (the import contracts).
signed_counts_rebuild = points.signed_counts_rebuild
signed_counts_differences = points.signed_counts_differences
# B/C replies are carried over (跨年度跟踪): docs/architecture.md, 'Representatives' suggestions'.
CARRIED_CATEGORIES = (ReplyCategory.B, ReplyCategory.C)
# A department may ask for a return only where 重新交办 can follow: handed over, not yet
# answered (docs/architecture.md, 'Representatives' suggestions').
RETURNABLE = SUGGESTION_TRANSITIONS["reassign"][0]
EDITABLE_FIELDS = {"title", "content", "category", "research_basis", "kind", "by_delegation"}


class NotPermitted(DomainError):
    """The user may see the suggestion but this step is someone else's to take."""

    code = "forbidden"
    status = 403
    default_message = gettext_lazy("您无权进行该操作。")


# --- helpers ---------------------------------------------------------------------------


def _move(
    suggestion: Suggestion,
    action: str,
    *,
    by: User | None,
    note: str = "",
    updates: dict[str, Any] | None = None,
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    changes = {"updated_at": timezone.now(), **(updates or {})}
    return apply_transition(
        instance=suggestion,
        transitions=SUGGESTION_TRANSITIONS,
        action=action,
        by=by,
        case_type=SUGGESTION_CASE,
        note=note,
        updates=changes,
        expected_version=expected_version,
        data=data,
    )


def _url(suggestion: Suggestion) -> str:
    return reverse("formal_suggestion_detail", args=[suggestion.pk])


def _tell(
    recipients: Iterable[User], suggestion: Suggestion, kind: str, title: str, body: str = ""
) -> None:
    notify(
        recipients=recipients,
        kind=f"suggestion.{kind}",
        title=title,
        body=body,
        url=_url(suggestion),
        case_type=SUGGESTION_CASE,
        case_id=suggestion.pk,
    )


def _require_filer(by: User, suggestion: Suggestion) -> None:
    """The lead representative, or the staff member who entered a paper suggestion."""
    representative = representative_of(by)
    if representative is not None and representative.pk == suggestion.lead_id:
        return
    if suggestion.created_by_id == by.pk and is_pre_reviewer(by, suggestion):
        return
    raise NotPermitted()


def _require_staff(by: User, suggestion: Suggestion) -> None:
    if not is_staff_for(by, suggestion):
        raise NotPermitted()


def _require_handler(by: User, assignment: Assignment) -> None:
    if not handles(by, assignment):
        raise NotPermitted()


def _assignment_title(suggestion: Suggestion, prefix: str = "") -> str:
    number = f"{suggestion.number_label} " if suggestion.number else ""
    return f"{prefix}{number}{suggestion.title}"[:200]


def _rules(suggestion: Suggestion) -> Mapping[str, Any]:
    """The rules a suggestion follows (docs/rules.md): those in force at its congress when
    it was created; for one from before rules were recorded, those in force now."""
    recorded = suggestion.rules_in_force or {}
    missing = [key for key in conf.CASE_RULES if key not in recorded]
    if not missing:
        return recorded
    return {**rules_at(suggestion.congress.region, missing), **recorded}


def _capped_due(today: datetime.date, deadline: Any) -> datetime.date:
    """A due date that never passes the case type's longest deadline (6 months)."""
    return min(add_deadline(today, deadline), add_deadline(today, conf.longest_deadline()))


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(message)
    return value


def _choice(value: str, choices: Any, message: str) -> str:
    if value not in choices.values:
        raise RuleViolation(message)
    return value


# --- filing (领衔代表) ------------------------------------------------------------------


def suggestion_create(
    *,
    lead: Representative,
    session: Session | None,
    title: str,
    content: str,
    category: str,
    by: User,
    kind: str = SuggestionKind.SUGGESTION,
    research_basis: str = "",
    by_delegation: bool = False,
) -> Suggestion:
    """A draft by its lead representative (or a paper one entered by staff, 代录)."""
    if session is None:
        raise RuleViolation(_("请选择建议所属的会议。"))
    if session.kind != SessionKind.PLENARY:
        raise RuleViolation(_("代表建议、议案须向人民代表大会会议提出。"))
    if lead.user_id is None or lead.user_id != by.pk:
        # Entered by staff (代录): the representative and the congress must be theirs.
        require_in_jurisdiction(by, lead.region, session.term.congress.region)
    if not may_file_for(by, lead, session):
        raise NotPermitted()
    mandate = active_mandate(lead, session)
    if mandate is None:
        raise RuleViolation(
            _("%(name)s不是%(congress)s本届在任代表。")
            % {"name": lead, "congress": session.term.congress}
        )
    _choice(kind, SuggestionKind, _("请选择类型。"))
    _choice(category, SuggestionCategory, _("请选择类别。"))
    if by_delegation and (kind != SuggestionKind.MOTION or mandate.delegation is None):
        raise RuleViolation(_("只有议案可以以代表团名义提出，且领衔代表须属于该代表团。"))
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            kind=kind,
            title=_text(title, _("请填写标题。"))[:200],
            content=_text(content, _("请填写建议内容。")),
            category=category,
            research_basis=research_basis.strip(),
            session=session,
            congress=session.term.congress,
            lead=lead,
            region=lead.region,
            **area_columns(session.term.congress.region),
            **area_columns(lead.region, prefix="origin_area_"),
            delegation=mandate.delegation,
            by_delegation=by_delegation,
            created_by=by,
            rules_in_force=rules_at(session.term.congress.region, conf.CASE_RULES),
        )
        SuggestionSigner.objects.create(
            suggestion=suggestion,
            representative=lead,
            role=SignerRole.LEAD,
            status=SignerStatus.CONFIRMED,
            responded_at=timezone.now(),
        )
        record_event(
            case_type=SUGGESTION_CASE,
            case_id=suggestion.pk,
            action="create",
            by=by,
            to_status=suggestion.status,
        )
    return suggestion


def suggestion_update(*, suggestion: Suggestion, by: User, **fields: Any) -> Suggestion:
    """Edit a draft (or a pre-review return). Only the text; the session stays."""
    _require_filer(by, suggestion)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise RuleViolation(f"Not editable: {sorted(unknown)}")
    if "title" in fields:
        fields["title"] = _text(fields["title"], _("请填写标题。"))[:200]
    if "content" in fields:
        fields["content"] = _text(fields["content"], _("请填写建议内容。"))
    if "category" in fields:
        _choice(fields["category"], SuggestionCategory, _("请选择类别。"))
    if "kind" in fields:
        _choice(fields["kind"], SuggestionKind, _("请选择类型。"))
    kind = fields.get("kind", suggestion.kind)
    if fields.get("by_delegation", suggestion.by_delegation) and (
        kind != SuggestionKind.MOTION or suggestion.delegation_id is None
    ):
        raise RuleViolation(_("只有议案可以以代表团名义提出，且领衔代表须属于该代表团。"))
    with transaction.atomic():
        changed = Suggestion.objects.filter(
            pk=suggestion.pk, status__in=EDITABLE, version=suggestion.version
        ).update(**fields, version=F("version") + 1, updated_at=timezone.now())
        if changed != 1:
            if suggestion.status not in EDITABLE:
                raise InvalidTransition(_("建议已提交，不能再修改。"))
            raise StaleState()
        record_event(
            case_type=SUGGESTION_CASE,
            case_id=suggestion.pk,
            action="edit",
            by=by,
            data={"fields": sorted(fields)},
        )
    suggestion.refresh_from_db()
    return suggestion


def _check_cosigner(suggestion: Suggestion, representative: Representative) -> None:
    if representative.pk == suggestion.lead_id:
        raise RuleViolation(_("领衔代表不需要附议自己的建议。"))
    seat = Mandate.objects.filter(
        representative=representative,
        term=suggestion.session.term,
        status=MandateStatus.ACTIVE,
    ).exists()
    if not seat:
        raise RuleViolation(
            _("%(name)s不是%(congress)s本届在任代表，不能附议。")
            % {"name": representative, "congress": suggestion.congress}
        )


def suggestion_invite_cosigners(
    *, suggestion: Suggestion, representatives: Iterable[Representative], by: User
) -> list[SuggestionSigner]:
    """Ask representatives of the same congress to co-sign (附议); each must confirm. On a
    paper suggestion entered by staff the co-signers have signed already."""
    _require_filer(by, suggestion)
    if suggestion.status not in EDITABLE:
        raise InvalidTransition(_("建议已提交，不能再邀请附议。"))
    people = list(representatives)
    if not people:
        raise RuleViolation(_("请选择要邀请附议的代表。"))
    for representative in people:
        _check_cosigner(suggestion, representative)
    signed = set(suggestion.signers.values_list("representative_id", flat=True))
    if any(rep.pk in signed for rep in people):
        raise RuleViolation(_("所选代表已在联名名单中。"))
    # A paper suggestion entered by staff (代录) carries its co-signers' signatures.
    on_paper = representative_of(by) is None
    now = timezone.now()
    with transaction.atomic():
        try:
            rows = [
                SuggestionSigner.objects.create(
                    suggestion=suggestion,
                    representative=rep,
                    role=SignerRole.CO_SIGNER,
                    status=SignerStatus.CONFIRMED if on_paper else SignerStatus.INVITED,
                    responded_at=now if on_paper else None,
                )
                for rep in people
            ]
        except IntegrityError:
            raise StaleState() from None  # someone invited the same person a moment ago
        names = "、".join(str(rep) for rep in people)
        record_event(
            case_type=SUGGESTION_CASE,
            case_id=suggestion.pk,
            action="invite",
            by=by,
            note=_("%(names)s（纸质文本已签名）") % {"names": names} if on_paper else names,
        )
        if suggestion.status == S.CO_SIGNING and not on_paper:
            _invite_notice(suggestion, rows)
    return rows


def _invite_notice(suggestion: Suggestion, signers: Iterable[SuggestionSigner]) -> None:
    users = [s.representative.user for s in signers if s.representative.user_id]
    _tell(
        [user for user in users if user is not None],
        suggestion,
        "cosign_invite",
        _("附议邀请：%(title)s") % {"title": suggestion.title},
        _("%(lead)s代表邀请您附议，请确认。") % {"lead": suggestion.lead},
    )


def suggestion_uninvite(*, signer: SuggestionSigner, by: User) -> None:
    """Take back an invitation that was not confirmed (or was declined)."""
    suggestion = signer.suggestion
    _require_filer(by, suggestion)
    if suggestion.status not in EDITABLE:
        raise InvalidTransition(_("建议已提交，不能再修改联名名单。"))
    if signer.role == SignerRole.LEAD or signer.status == SignerStatus.CONFIRMED:
        raise RuleViolation(_("已确认的附议代表不能撤回。"))
    with transaction.atomic():
        deleted, _rows = SuggestionSigner.objects.filter(
            pk=signer.pk, status=signer.status
        ).delete()
        if not deleted:
            raise StaleState()
        record_event(
            case_type=SUGGESTION_CASE,
            case_id=suggestion.pk,
            action="uninvite",
            by=by,
            note=str(signer.representative),
        )


def suggestion_start_cosigning(
    *, suggestion: Suggestion, by: User, expected_version: int | None = None
) -> Suggestion:
    _require_filer(by, suggestion)
    invited = list(
        suggestion.signers.filter(status=SignerStatus.INVITED).select_related(
            "representative__user"
        )
    )
    if not invited:
        raise RuleViolation(_("请先邀请附议代表。"))
    with transaction.atomic():
        _move(suggestion, "start_cosigning", by=by, expected_version=expected_version)
        _invite_notice(suggestion, invited)
    return suggestion


def signer_respond(*, signer: SuggestionSigner, confirm: bool, by: User) -> SuggestionSigner:
    """A co-signer confirms (附议) or declines; only they can answer for themselves."""
    representative = representative_of(by)
    if representative is None or representative.pk != signer.representative_id:
        raise NotPermitted()
    suggestion = signer.suggestion
    if suggestion.status != S.CO_SIGNING:
        raise InvalidTransition(_("该建议目前不在征集附议阶段。"))
    with transaction.atomic():
        apply_transition(
            instance=signer,
            transitions=SIGNER_TRANSITIONS,
            action="confirm_cosign" if confirm else "decline_cosign",
            by=by,
            case_type=SIGNER_CASE,
            updates={"responded_at": timezone.now()},
        )
        lead_user = suggestion.lead.user
        if lead_user is not None:
            title = (
                _("%(name)s已确认附议：%(title)s") if confirm else _("%(name)s谢绝附议：%(title)s")
            )
            _tell(
                [lead_user],
                suggestion,
                "cosign_answer",
                title % {"name": signer.representative, "title": suggestion.title},
            )
    return signer


def _check_motion(suggestion: Suggestion) -> None:
    """地方组织法 第21条: enough joint signers, or a delegation (settings per level)."""
    if suggestion.by_delegation and suggestion.delegation_id is not None:
        return
    needed = conf.motion_min_signers(suggestion.congress.level)
    count = suggestion.signers.filter(status=SignerStatus.CONFIRMED).count()
    if count < needed:
        raise RuleViolation(
            _("议案须由%(needed)s名以上代表联名提出（目前%(count)s名已确认），或以代表团名义提出。")
            % {"needed": needed, "count": count}
        )


def suggestion_submit(
    *, suggestion: Suggestion, by: User, expected_version: int | None = None
) -> Suggestion:
    """Submit to the congress. Before the session opens this is a pre-submission (预提交)
    that the town office may return with comments."""
    _require_filer(by, suggestion)
    if suggestion.status not in EDITABLE:
        raise InvalidTransition()
    if suggestion.signers.filter(status=SignerStatus.INVITED).exists():
        raise RuleViolation(_("还有代表未确认附议：请等待确认，或撤回邀请后再提交。"))
    if suggestion.is_motion:
        _check_motion(suggestion)
    now = timezone.now()
    _move(
        suggestion,
        "submit",
        by=by,
        expected_version=expected_version,
        updates={
            "submitted_at": now,
            "pre_submitted": timezone.localdate(now) < suggestion.session.opens_on,
        },
    )
    return suggestion


def suggestion_withdraw(*, suggestion: Suggestion, by: User, reason: str = "") -> Suggestion:
    _require_filer(by, suggestion)
    _move(suggestion, "withdraw", by=by, note=reason.strip())
    return suggestion


def suggestion_pre_return(
    *, suggestion: Suggestion, by: User, comment: str, expected_version: int | None = None
) -> Suggestion:
    """会前预提交、镇街人大汇总把关: returned with comments before the session opens."""
    if not is_pre_reviewer(by, suggestion):
        raise NotPermitted()
    comment = _text(comment, _("请写明修改意见。"))
    if not suggestion.pre_submitted or timezone.localdate() >= suggestion.session.opens_on:
        raise RuleViolation(_("会议已开幕，不再预审退回；请按审查程序办理。"))
    with transaction.atomic():
        _move(
            suggestion,
            "pre_return",
            by=by,
            note=comment,
            expected_version=expected_version,
            updates={"review_note": comment},
        )
        _tell(
            signer_users(suggestion),
            suggestion,
            "pre_returned",
            _("建议预审退回修改：%(title)s") % {"title": suggestion.title},
            comment,
        )
    return suggestion


# --- review (审查) --------------------------------------------------------------------


def _assign_by(suggestion: Suggestion, today: datetime.date) -> datetime.date:
    """交办 within 7 working days of the session's close (or of acceptance, between sessions)."""
    return add_deadline(
        max(suggestion.session.closes_on, today), conf.assign_within(recorded=_rules(suggestion))
    )


def _next_number(session: Session) -> int:
    # The session row is locked so two staff registering at once number in turn.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    top = Suggestion.objects.filter(session=session).aggregate(top=Max("number"))["top"]
    return int(top or 0) + 1


REVIEW_LABELS = {
    "register": gettext_lazy("立案"),
    "convert_to_suggestion": gettext_lazy("议案转为建议立案"),
    "merge": gettext_lazy("并案处理"),
    "convert_to_letter": gettext_lazy("转为来信处理"),
    "refuse": gettext_lazy("不予立案"),
}


def suggestion_review(
    *,
    suggestion: Suggestion,
    decision: str,
    by: User,
    note: str = "",
    merge_into: Suggestion | None = None,
    expected_version: int | None = None,
) -> Suggestion:
    """审查: register, merge (并案), convert to a letter (转来信), decline (不予立案), or, for a
    motion, register it as a motion or convert it to a suggestion."""
    _require_staff(by, suggestion)
    if decision not in REVIEW_DECISIONS:
        raise RuleViolation(_("请选择审查结果。"))
    note = (note or "").strip()
    if decision in ("merge", "convert_to_letter", "refuse") and not note:
        raise RuleViolation(_("请写明理由：代表会看到审查结果。"))
    updates: dict[str, Any] = {"review_note": note}
    if decision == "convert_to_suggestion":
        if not suggestion.is_motion:
            raise RuleViolation(_("只有议案可以转为建议。"))
        updates.update(kind=SuggestionKind.SUGGESTION, converted_from_motion=True)
    if decision == "merge":
        _check_merge(suggestion, merge_into)
        updates["merged_into"] = merge_into
    now = timezone.now()
    with transaction.atomic():
        if decision in TAKING_UP:
            updates.update(
                accepted_at=now,
                assign_by=_assign_by(suggestion, timezone.localdate(now)),
                number=_next_number(suggestion.session),
            )
        _move(
            suggestion,
            decision,
            by=by,
            note=note,
            updates=updates,
            expected_version=expected_version,
        )
        if decision in TAKING_UP:
            points.count_taken_up(suggestion)  # 履职积分's summary per signer and month
        _tell(
            signer_users(suggestion),
            suggestion,
            "reviewed",
            _("审查结果：%(title)s（%(result)s）")
            % {"title": suggestion.title, "result": REVIEW_LABELS[decision]},
            note,
        )
    return suggestion


def _check_merge(suggestion: Suggestion, target: Suggestion | None) -> None:
    if target is None:
        raise RuleViolation(_("请选择并入的建议。"))
    if target.pk == suggestion.pk or target.session_id != suggestion.session_id:
        raise RuleViolation(_("只能并入同一次会议的另一件建议。"))
    if target.status not in TAKEN_UP:
        raise RuleViolation(_("只能并入已立案的建议。"))


# --- 交办 -----------------------------------------------------------------------------


def _check_departments(suggestion: Suggestion, departments: Sequence[Department], by: User) -> None:
    # Another place's department is a 404, like any object outside the user's scope;
    # one they can see but this congress may not assign to is refused by name.
    require_within_reach(by, *(department.region for department in departments))
    root = suggestion.congress.region.path
    for department in departments:
        if not department.is_active or not department.region.path.startswith(root):
            raise RuleViolation(
                _("%(department)s不是本级人大可以交办的承办单位。") % {"department": department}
            )


def _hand_to(
    suggestion: Suggestion,
    department: Department,
    *,
    role: str,
    by: User | None,
    note: str = "",
    due_on: datetime.date | None = None,
    prefix: str = "",
) -> Assignment:
    rules = _rules(suggestion)
    deadline = (
        conf.reply_deadline(recorded=rules)
        if role == AssignmentRole.LEAD
        else conf.co_handler_deadline(recorded=rules)
    )
    return loop.assignment_create(
        case_type=SUGGESTION_CASE,
        case_id=suggestion.pk,
        title=_assignment_title(suggestion, prefix),
        region=suggestion.congress.region,
        by=by,
        department=department,
        role=role,
        deadline=deadline,
        due_on=due_on,
        note=note,
    )


def suggestion_assign(
    *,
    suggestion: Suggestion,
    lead_department: Department | None,
    co_handlers: Sequence[Department] = (),
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """交办: one lead department (主办, reply within 3 months) and any co-handlers (协办,
    opinion to the lead within 1 month). Of two staff assigning at once, the second
    gets StaleState and nothing of theirs is kept."""
    _require_staff(by, suggestion)
    if lead_department is None:
        raise RuleViolation(_("请选择主办单位。"))
    co_handlers = list(co_handlers)
    if any(d.pk == lead_department.pk for d in co_handlers):
        raise RuleViolation(_("主办单位不能同时作为协办单位。"))
    _check_departments(suggestion, [lead_department, *co_handlers], by)
    with transaction.atomic():
        # The compare-and-set comes first: a second click fails before it hands out work.
        _move(
            suggestion,
            "assign",
            by=by,
            note=note,
            expected_version=expected_version,
            updates={"assigned_at": timezone.now()},
            data={
                "lead": str(lead_department),
                "co_handlers": [str(d) for d in co_handlers],
            },
        )
        lead = _hand_to(suggestion, lead_department, role=AssignmentRole.LEAD, by=by, note=note)
        for department in co_handlers:
            _hand_to(suggestion, department, role=AssignmentRole.CO_HANDLER, by=by, note=note)
        Suggestion.objects.filter(pk=suggestion.pk).update(lead_assignment=lead)
    suggestion.refresh_from_db()
    return lead


def suggestion_reassign(
    *, suggestion: Suggestion, department: Department, by: User, note: str = ""
) -> Assignment:
    """After staff approved the lead department's return, hand it to the right one."""
    _require_staff(by, suggestion)
    current = lead_assignment_of(suggestion)
    if current is None or current.status != AssignmentStatus.RETURNED:
        raise RuleViolation(_("只有主办单位退回获批后才能重新交办。"))
    if current.department_id == department.pk:
        raise RuleViolation(_("请选择另一个承办单位。"))
    _check_departments(suggestion, [department], by)
    with transaction.atomic():
        _move(suggestion, "reassign", by=by, note=note, data={"lead": str(department)})
        lead = _hand_to(suggestion, department, role=AssignmentRole.LEAD, by=by, note=note)
        Suggestion.objects.filter(pk=suggestion.pk).update(lead_assignment=lead)
    suggestion.refresh_from_db()
    return lead


# --- the department's steps ----------------------------------------------------------------


def _department_of(assignment: Assignment) -> Department:
    if assignment.department is None:  # suggestions are only ever handed to departments
        raise RuleViolation("A suggestion assignment without a department.")
    return assignment.department


def _suggestion_of(assignment: Assignment) -> Suggestion:
    if assignment.case_type != SUGGESTION_CASE:
        raise RuleViolation("Not a suggestion assignment.")
    return Suggestion.objects.select_related("congress__region", "session", "lead").get(
        pk=assignment.case_id
    )


def handling_accept(
    *, assignment: Assignment, by: User, expected_version: int | None = None
) -> Assignment:
    """签收."""
    _require_handler(by, assignment)
    loop.assignment_accept(assignment=assignment, by=by, expected_version=expected_version)
    return assignment


def handling_request_return(
    *, assignment: Assignment, by: User, reason: str, expected_version: int | None = None
) -> Assignment:
    """A mis-assigned suggestion may be sent back within 7 working days; staff decide.

    Only a suggestion handed over and not yet answered: one the department has
    replied to (sent back as unsatisfied, or tracked into the next year after a B or
    C reply) is its own to finish, not to return (a return is followed by 重新交办)."""
    _require_handler(by, assignment)
    if not Suggestion.objects.filter(pk=assignment.case_id, status__in=RETURNABLE).exists():
        raise RuleViolation(
            _(
                "只有交办后尚未答复的建议可以申请退回；已答复后重新办理或跨年度跟踪的建议须继续办理。"
            )
        )
    days = workdays_between(timezone.localdate(assignment.assigned_at), timezone.localdate())
    suggestion = Suggestion.objects.select_related("congress__region").get(pk=assignment.case_id)
    within = conf.return_within(recorded=_rules(suggestion))
    if days > within:
        raise RuleViolation(
            _("交办已超过%(days)s个工作日，不能再申请退回；确有困难请与人大代表工作机构联系。")
            % {"days": within}
        )
    suggestion = _suggestion_of(assignment)
    with transaction.atomic():
        loop.assignment_request_return(
            assignment=assignment, by=by, reason=reason, expected_version=expected_version
        )
        _tell(
            staff_users_of(suggestion.congress.region),
            suggestion,
            "return_requested",
            _("%(department)s申请退回：%(title)s")
            % {"department": assignment.department, "title": suggestion.title},
            reason,
        )
    return assignment


def handling_decide_return(
    *, assignment: Assignment, approve: bool, by: User, note: str = ""
) -> Assignment:
    suggestion = _suggestion_of(assignment)
    _require_staff(by, suggestion)
    with transaction.atomic():
        loop.assignment_decide_return(assignment=assignment, by=by, approve=approve, note=note)
        title = _("同意退回：%(title)s") if approve else _("不同意退回：%(title)s")
        _tell(
            handler_users_of([assignment.department_id or 0]),
            suggestion,
            "return_decided",
            title % {"title": suggestion.title},
            note,
        )
    return assignment


def handling_request_extension(
    *,
    assignment: Assignment,
    until: datetime.date,
    reason: str,
    by: User,
    expected_version: int | None = None,
) -> Assignment:
    """延期 needs staff approval and never passes 6 months from 交办 (the engine's cap)."""
    _require_handler(by, assignment)
    suggestion = _suggestion_of(assignment)
    with transaction.atomic():
        loop.assignment_request_extension(
            assignment=assignment,
            by=by,
            until=until,
            reason=reason,
            expected_version=expected_version,
        )
        _tell(
            staff_users_of(suggestion.congress.region),
            suggestion,
            "extension_requested",
            _("%(department)s申请延期至%(until)s：%(title)s")
            % {"department": assignment.department, "until": until, "title": suggestion.title},
            reason,
        )
    return assignment


def handling_decide_extension(
    *,
    assignment: Assignment,
    approve: bool,
    by: User,
    until: datetime.date | None = None,
    note: str = "",
) -> Assignment:
    suggestion = _suggestion_of(assignment)
    _require_staff(by, suggestion)
    with transaction.atomic():
        loop.assignment_decide_extension(
            assignment=assignment, by=by, approve=approve, until=until, note=note
        )
        assignment.refresh_from_db()
        title = _("延期已批准（至%(due)s）：%(title)s") if approve else _("延期未批准：%(title)s")
        _tell(
            handler_users_of([assignment.department_id or 0]),
            suggestion,
            "extension_decided",
            title % {"due": assignment.due_on, "title": suggestion.title},
            note,
        )
    return assignment


def handling_opinion(
    *,
    assignment: Assignment,
    text: str,
    by: User,
    uploads: Sequence[CleanUpload] = (),
    expected_version: int | None = None,
) -> CaseEvent:
    """A co-handler's opinion to the lead department (协办意见, within 1 month)."""
    _require_handler(by, assignment)
    if assignment.role != AssignmentRole.CO_HANDLER:
        raise RuleViolation(_("主办单位请使用答复表答复代表。"))
    text = _text(text, _("请填写协办意见。"))
    suggestion = _suggestion_of(assignment)
    with transaction.atomic():
        event = loop.assignment_reply(
            assignment=assignment,
            by=by,
            note=text,
            expected_version=expected_version,
            data={"opinion": True},
        )
        for upload in uploads:
            attach_to_event(event=event, upload=upload)
        lead = lead_assignment_of(suggestion)
        if lead is not None and lead.department_id:
            _tell(
                handler_users_of([lead.department_id]),
                suggestion,
                "co_handler_opinion",
                _("%(department)s的协办意见：%(title)s")
                % {"department": assignment.department, "title": suggestion.title},
            )
    return event


def handling_report_progress(*, assignment: Assignment, note: str, by: User) -> CaseEvent:
    """A progress report (key supervision items report regularly)."""
    _require_handler(by, assignment)
    return loop.assignment_report_progress(assignment=assignment, by=by, note=note)


def handling_contact_record(
    *,
    suggestion: Suggestion,
    department: Department,
    stage: str,
    method: str,
    contacted_on: datetime.date,
    note: str,
    by: User,
) -> HandlingContact:
    """面商 / 三见面: the department's contact with the representative, before, during and
    after handling."""
    assigned = Assignment.objects.filter(
        case_type=SUGGESTION_CASE, case_id=suggestion.pk, department=department
    ).exists()
    if not assigned:
        raise RuleViolation(_("该单位没有承办这件建议。"))
    if department.pk not in by.department_ids and not is_staff_for(by, suggestion):
        raise NotPermitted()
    _choice(stage, HandlingStage, _("请选择办前、办中或办后。"))
    _choice(method, HandlingMethod, _("请选择沟通方式。"))
    if contacted_on > timezone.localdate():
        raise RuleViolation(_("沟通日期不能晚于今天。"))
    note = _text(note, _("请填写沟通情况。"))
    with transaction.atomic():
        contact = HandlingContact.objects.create(
            suggestion=suggestion,
            department=department,
            stage=stage,
            method=method,
            contacted_on=contacted_on,
            note=note,
            recorded_by=by,
        )
        record_event(
            case_type=SUGGESTION_CASE,
            case_id=suggestion.pk,
            action="contact",
            by=by,
            note=f"{contact.get_stage_display()} · {contact.get_method_display()}：{note}",
            data={"department": str(department), "on": str(contacted_on)},
        )
    return contact


def suggestion_reply(
    *,
    suggestion: Suggestion,
    category: str,
    text: str,
    signing_official: str,
    by: User,
    uploads: Sequence[CleanUpload] = (),
    expected_version: int | None = None,
) -> SuggestionReply:
    """答复函 from the lead department: category A/B/C/D, the text, the signing official
    and documents. Every signer receives it and is asked to rate it."""
    assignment = lead_assignment_of(suggestion)
    if assignment is None or suggestion.status not in (S.HANDLING, S.REHANDLING):
        raise InvalidTransition()
    _require_handler(by, assignment)
    category = _choice(category, ReplyCategory, _("请选择答复类别（A、B、C、D类）。"))
    text = _text(text, _("请填写答复内容。"))
    signing_official = _text(signing_official, _("请填写签发人。"))[:50]
    now = timezone.now()
    first = suggestion.first_replied_at is None
    on_time = timezone.localdate(now) <= assignment.due_on
    updates: dict[str, Any] = {"reply_category": category}
    if first:
        updates.update(first_replied_at=now, replied_on_time=on_time)
    with transaction.atomic():
        _move(
            suggestion,
            "reply",
            by=by,
            expected_version=expected_version,
            updates=updates,
            data={"category": category},
        )
        event = loop.assignment_reply(
            assignment=assignment,
            by=by,
            note=text,
            data={"category": category, "signing_official": signing_official},
        )
        for upload in uploads:
            attach_to_event(event=event, upload=upload)
        reply = SuggestionReply.objects.create(
            suggestion=suggestion,
            assignment=assignment,
            department=_department_of(assignment),
            event=event,
            round=suggestion.replies.filter(is_follow_up=False).count() + 1,
            category=category,
            text=text,
            signing_official=signing_official,
            on_time=on_time,
            replied_at=now,
            replied_by=by,
        )
        _tell(
            signer_users(suggestion),
            suggestion,
            "reply",
            _("建议已答复，请测评：%(title)s") % {"title": suggestion.title},
            _("%(department)s答复（%(category)s），请对办理态度和办理结果进行测评。")
            % {"department": assignment.department, "category": reply.get_category_display()},
        )
    return reply


# --- rating (测评), re-handling, carry-over, closing ----------------------------------------


def suggestion_rate(
    *,
    suggestion: Suggestion,
    representative: Representative,
    attitude: str,
    result: str,
    by: User,
    comment: str = "",
    channel: str = RatingChannel.ONLINE,
) -> SuggestionRating:
    """A signer rates the reply's 办理态度 and 办理结果. Online by the representative; a paper
    form (纸质征询意见表) entered by staff. 不满意 sends it back for re-handling."""
    if suggestion.status != S.REPLIED:
        raise InvalidTransition(_("该建议目前不在测评阶段。"))
    is_signer = suggestion.signers.filter(
        representative=representative, status=SignerStatus.CONFIRMED
    ).exists()
    if not is_signer:
        raise RuleViolation(_("只有领衔或附议该建议的代表才能测评。"))
    if channel == RatingChannel.ONLINE:
        if representative.user_id != by.pk:
            raise NotPermitted()
    elif not is_staff_for(by, suggestion):
        raise NotPermitted()
    _choice(attitude, SuggestionSatisfaction, _("请评价办理态度。"))
    _choice(result, SuggestionSatisfaction, _("请评价办理结果。"))
    unsatisfied = SuggestionSatisfaction.UNSATISFIED in (attitude, result)
    comment = (comment or "").strip()
    if unsatisfied and not comment:
        raise RuleViolation(_("不满意时请写明意见，承办单位将据此重新办理。"))
    reply = latest_main_reply(suggestion)
    if reply is None:
        raise InvalidTransition()
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = SuggestionRating.objects.create(
                    reply=reply,
                    representative=representative,
                    attitude=attitude,
                    result=result,
                    comment=comment,
                    channel=channel,
                    recorded_by=by,
                )
        except IntegrityError:
            raise RuleViolation(_("该代表已对这次答复进行了测评。")) from None
        suggestion_answer_rated(reply=reply, result=result, at=rating.rated_at)
        record_event(
            case_type=SUGGESTION_CASE,
            case_id=suggestion.pk,
            action="rate",
            by=by,
            note=comment,
            data={
                "representative": str(representative),
                "attitude": attitude,
                "result": result,
                "channel": channel,
            },
        )
        if unsatisfied:
            _send_back(suggestion, rating, by)
        elif _everyone_rated(suggestion, reply):
            # Two last signers rating at the same moment may both miss this; staff can
            # then close the rating by hand (suggestion_close_rating).
            _complete_rating(suggestion, reply, by)
    return rating


def _everyone_rated(suggestion: Suggestion, reply: SuggestionReply) -> bool:
    signers = set(
        suggestion.signers.filter(status=SignerStatus.CONFIRMED).values_list(
            "representative_id", flat=True
        )
    )
    rated = set(reply.ratings.values_list("representative_id", flat=True))
    return signers <= rated


def _send_back(suggestion: Suggestion, rating: SuggestionRating, by: User) -> None:
    """不满意: the same department handles it again within 1 month, with the comment."""
    assignment = lead_assignment_of(suggestion)
    if assignment is None:
        raise InvalidTransition()
    _move(suggestion, "send_back", by=by, note=rating.comment)
    loop.assignment_reopen(
        assignment=assignment,
        by=by,
        reason=rating.comment,
        deadline=conf.rehandling_deadline(recorded=_rules(suggestion)),
    )
    assignment.refresh_from_db()
    _tell(
        handler_users_of([assignment.department_id or 0]),
        suggestion,
        "rehandling",
        _("代表不满意，请重新办理：%(title)s") % {"title": suggestion.title},
        _("请在%(due)s前重新办理并答复。代表意见：%(comment)s")
        % {"due": assignment.due_on, "comment": rating.comment},
    )


def _complete_rating(
    suggestion: Suggestion, reply: SuggestionReply, by: User | None, note: str = ""
) -> None:
    ratings = list(reply.ratings.all())
    lead_rating = next(
        (r for r in ratings if r.representative_id == suggestion.lead_id),
        ratings[0] if ratings else None,
    )
    _move(
        suggestion,
        "complete_rating",
        by=by,
        note=note,
        updates={
            "attitude_rating": lead_rating.attitude if lead_rating else "",
            "result_rating": lead_rating.result if lead_rating else "",
        },
    )
    if reply.category in CARRIED_CATEGORIES:
        _carry_over(suggestion, reply, by)
    else:
        _finish_assignments(suggestion, by)
        _move(suggestion, "close", by=by, updates={"closed_at": timezone.now()})


def _finish_assignments(suggestion: Suggestion, by: User | None) -> None:
    """Close what was answered; a co-handler that never answered is withdrawn."""
    for assignment in suggestion_assignments(suggestion):
        if assignment.status == AssignmentStatus.REPLIED:
            loop.assignment_close(assignment=assignment, by=by)
        elif assignment.status in OPEN_STATUSES:
            loop.assignment_cancel(
                assignment=assignment, by=by, reason=_("主办单位已答复，本轮办理结束。")
            )


def _carry_over(suggestion: Suggestion, reply: SuggestionReply, by: User | None) -> None:
    """B/C: followed into the next year with a follow-up deadline (跨年度跟踪)."""
    _finish_assignments(suggestion, by)
    follow_up = _hand_to(
        suggestion,
        reply.department,
        role=AssignmentRole.LEAD,
        by=by,
        due_on=_capped_due(
            timezone.localdate(), conf.carry_over_deadline(recorded=_rules(suggestion))
        ),
        prefix=_("跨年度跟踪："),
    )
    _move(suggestion, "carry_over", by=by, updates={"lead_assignment": follow_up})


def suggestion_close_rating(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """Staff end the rating when a signer does not answer (counted as not rated)."""
    _require_staff(by, suggestion)
    reply = latest_main_reply(suggestion)
    if suggestion.status != S.REPLIED or reply is None:
        raise InvalidTransition()
    with transaction.atomic():
        _complete_rating(suggestion, reply, by, note=note.strip())
    return suggestion


def suggestion_follow_up(
    *,
    suggestion: Suggestion,
    category: str,
    text: str,
    signing_official: str,
    by: User,
    uploads: Sequence[CleanUpload] = (),
) -> SuggestionReply:
    """A carried-over item's follow-up report: A or D closes it, B or C goes round again."""
    assignment = lead_assignment_of(suggestion)
    if assignment is None or suggestion.status != S.CARRIED_OVER:
        raise InvalidTransition()
    _require_handler(by, assignment)
    category = _choice(category, ReplyCategory, _("请选择答复类别（A、B、C、D类）。"))
    text = _text(text, _("请填写跟踪办理情况。"))
    signing_official = _text(signing_official, _("请填写签发人。"))[:50]
    now = timezone.now()
    with transaction.atomic():
        event = loop.assignment_reply(
            assignment=assignment,
            by=by,
            note=text,
            data={"category": category, "signing_official": signing_official, "follow_up": True},
        )
        for upload in uploads:
            attach_to_event(event=event, upload=upload)
        reply = SuggestionReply.objects.create(
            suggestion=suggestion,
            assignment=assignment,
            department=_department_of(assignment),
            event=event,
            round=suggestion.replies.count() + 1,
            is_follow_up=True,
            category=category,
            text=text,
            signing_official=signing_official,
            on_time=timezone.localdate(now) <= assignment.due_on,
            replied_at=now,
            replied_by=by,
        )
        loop.assignment_close(assignment=assignment, by=by)
        if category in CARRIED_CATEGORIES:
            department = assignment.department
            assert department is not None
            follow_up = _hand_to(
                suggestion,
                department,
                role=AssignmentRole.LEAD,
                by=by,
                due_on=_capped_due(
                    timezone.localdate(now), conf.carry_over_deadline(recorded=_rules(suggestion))
                ),
                prefix=_("跨年度跟踪："),
            )
            _move(
                suggestion,
                "follow_up",
                by=by,
                note=text,
                updates={"follow_up_category": category, "lead_assignment": follow_up},
            )
        else:
            _move(
                suggestion,
                "close",
                by=by,
                note=text,
                updates={"follow_up_category": category, "closed_at": now},
            )
        _tell(
            signer_users(suggestion),
            suggestion,
            "follow_up",
            _("跨年度跟踪办理情况：%(title)s") % {"title": suggestion.title},
            reply.get_category_display(),
        )
    return reply


# --- supervision, publication, second evaluation ----------------------------------------


def suggestion_mark_key(
    *,
    suggestion: Suggestion,
    is_key: bool,
    by: User,
    leading_official: str = "",
    supervisor: str = "",
    committee: str = "",
) -> Suggestion:
    """重点督办, as decided by the 主任会议: a leading official handles it (e.g. a
    vice-mayor), a vice-chair supervises, a committee follows it (一对一重点督办)."""
    _require_staff(by, suggestion)
    if suggestion.status not in TAKEN_UP:
        raise RuleViolation(_("只有已立案的建议才能列为重点督办。"))
    fields: dict[str, Any] = {"is_key": is_key}
    if is_key:
        fields.update(
            key_leading_official=_text(leading_official, _("请填写领衔办理的领导。"))[:100],
            key_supervisor=_text(supervisor, _("请填写牵头督办的领导。"))[:100],
            key_committee=committee.strip()[:100],
        )
    with transaction.atomic():
        Suggestion.objects.filter(pk=suggestion.pk).update(**fields, updated_at=timezone.now())
        record_event(
            case_type=SUGGESTION_CASE,
            case_id=suggestion.pk,
            action="mark_key" if is_key else "unmark_key",
            by=by,
            note="；".join(v for v in (leading_official, supervisor, committee) if v),
        )
    suggestion.refresh_from_db()
    return suggestion


def suggestion_set_publish_consent(
    *, suggestion: Suggestion, consent: bool, by: User
) -> Suggestion:
    """The lead representative agrees (or not) that the reply appears on the public page."""
    representative = representative_of(by)
    if representative is None or representative.pk != suggestion.lead_id:
        raise NotPermitted()
    with transaction.atomic():
        Suggestion.objects.filter(pk=suggestion.pk).update(
            publish_consent=consent, updated_at=timezone.now()
        )
        record_event(
            case_type=SUGGESTION_CASE,
            case_id=suggestion.pk,
            action="publish" if consent else "unpublish",
            by=by,
        )
    suggestion.refresh_from_db()
    return suggestion


def group_evaluation_record(
    *,
    suggestion: Suggestion,
    group: RepresentativeGroup,
    held_on: datetime.date,
    participants: int,
    result: str,
    by: User,
    comment: str = "",
) -> GroupEvaluation:
    """二次评价: a representative group evaluates a livelihood reply together. An unsatisfied
    verdict on a closed suggestion hands it back to the department (二次交办)."""
    _require_staff(by, suggestion)
    reply = latest_main_reply(suggestion)
    if reply is None:
        raise RuleViolation(_("该建议尚未答复，不能进行二次评价。"))
    _choice(result, SuggestionSatisfaction, _("请选择评议结果。"))
    if participants < 1:
        raise RuleViolation(_("请填写参加评议的人数。"))
    if held_on > timezone.localdate():
        raise RuleViolation(_("评议日期不能晚于今天。"))
    comment = (comment or "").strip()
    reopen = result == SuggestionSatisfaction.UNSATISFIED and suggestion.status == S.CLOSED
    if reopen and not comment:
        raise RuleViolation(_("不满意时请写明评议意见，承办单位将据此重新办理。"))
    with transaction.atomic():
        evaluation = GroupEvaluation.objects.create(
            suggestion=suggestion,
            reply=reply,
            group=group,
            held_on=held_on,
            participants=participants,
            result=result,
            comment=comment,
            recorded_by=by,
        )
        suggestion_answer_rated(reply=reply, result=result, at=evaluation.created_at)
        record_event(
            case_type=SUGGESTION_CASE,
            case_id=suggestion.pk,
            action="group_evaluation",
            by=by,
            note=comment,
            data={"group": str(group), "result": result, "participants": participants},
        )
        if reopen:
            assignment = lead_assignment_of(suggestion)
            if assignment is None:
                raise InvalidTransition()
            _move(suggestion, "second_assign", by=by, note=comment)
            loop.assignment_reopen(
                assignment=assignment,
                by=by,
                reason=comment,
                deadline=conf.rehandling_deadline(recorded=_rules(suggestion)),
            )
            _tell(
                handler_users_of([assignment.department_id or 0]),
                suggestion,
                "rehandling",
                _("代表小组二次评价不满意，请重新办理：%(title)s") % {"title": suggestion.title},
                comment,
            )
    return evaluation


# --- the daily reminder to staff ---------------------------------------------------------


def suggestions_remind_unassigned(*, today: datetime.date | None = None, limit: int = 2000) -> int:
    """交办 within 7 working days of the session's close: tell the congress staff, once a
    day and in one message per congress, which registered suggestions are due or late.

    Each suggestion is claimed with a conditional UPDATE on ``assign_reminded_on``, so a
    retried or doubled task tells no one twice. Cost: one indexed query for at most
    ``limit`` rows, one UPDATE per row, one message per congress.
    """
    today = today or timezone.localdate()
    rows = list(unassigned_due(today).select_related("congress__region")[:limit])
    claimed: dict[int, list[Suggestion]] = {}
    for suggestion in rows:
        won = Suggestion.objects.filter(
            Q(assign_reminded_on__isnull=True) | Q(assign_reminded_on__lt=today),
            pk=suggestion.pk,
            status=S.REGISTERED,
        ).update(assign_reminded_on=today)
        if won:
            claimed.setdefault(suggestion.congress_id, []).append(suggestion)
    for items in claimed.values():
        congress = items[0].congress
        late = sum(1 for s in items if s.assign_by and s.assign_by < today)
        notify(
            recipients=staff_users_of(congress.region),
            kind="suggestion.assign_due",
            title=_("%(congress)s：%(count)s件代表建议待交办（其中%(late)s件已超过交办期限）")
            % {"congress": congress, "count": len(items), "late": late},
            body=_("代表建议应在会议闭幕后%(days)s内交办。")
            % {"days": conf.assign_within(congress)},
            url=reverse("formal_suggestion_list") + f"?status={S.REGISTERED}",
        )
    return sum(len(items) for items in claimed.values())
