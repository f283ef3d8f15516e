"""Every write of the livelihood year's cycle, its call for proposals, the screening and
the shortlist: ``<entity>_<action>(*, ..., by=user)`` (docs/livelihood-call.md).

A proposal's status moves through ``apply_transition`` with ``PROPOSAL_TRANSITIONS``
(compare-and-set, an event and an audit row). Which steps a day allows is the cycle's
phase (``workflow.phase``): each service checks it, beside the action table's "from
which phases". A refusal raises a domain error and changes nothing.

Who acts: staff of the cycle's region (``require_in_jurisdiction``) create and edit
cycles, screen and shortlist; a citizen proposes with no account (``by=None``), a
representative for a congress where they hold a live seat, a department clerk for one
of their departments in the cycle's region.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from congress.errors import OutOfJurisdiction, RuleViolation
from congress.files import attach_to_event
from congress.models import Congress, Department, Region, Session, User
from congress.notifications import notify
from congress.scoping import require_in_jurisdiction
from congress.uploads import CleanUpload
from congress.workflow import apply_transition, record_event
from livelihood_votes import services as vote_services
from livelihood_votes.cycles import conf
from livelihood_votes.cycles.workflow import (
    CYCLE_CASE,
    PROPOSAL_CASE,
    PROPOSAL_TRANSITIONS,
    Phase,
    phase,
)
from livelihood_votes.models import (
    BallotForm,
    Cycle,
    Electorate,
    LivelihoodVote,
    Proposal,
    ProposalChannel,
    ProposalStatus,
    ScreeningReason,
)
from livelihood_votes.models.cycles import ShortlistEntry
from livelihood_votes.selectors import holds_seat
from representatives.models import Representative

P = ProposalStatus

# The phases in which each kind of step may be taken (the action table repeats them for
# the buttons; the services are where they hold).
SUBMIT_PHASES = frozenset({Phase.CALL})
SCREEN_PHASES = frozenset({Phase.CALL, Phase.SCREENING, Phase.SHORTLIST})
SHORTLIST_PHASES = frozenset({Phase.SCREENING, Phase.SHORTLIST})
VOTE_CREATE_PHASES = frozenset({Phase.SHORTLIST, Phase.VOTE})

DATE_FIELDS = (
    "call_opens_on",
    "call_closes_on",
    "screening_closes_on",
    "shortlist_closes_on",
    "vote_on",
    "implementation_starts_on",
    "midyear_on",
    "evaluation_opens_on",
    "evaluation_closes_on",
)
CYCLE_FIELDS = ("title", "electorate", *DATE_FIELDS)

_HASH_SALT = "livelihood_votes.proposal.mobile"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def today() -> datetime.date:
    return timezone.localdate()


# --- the proposer's phone ---------------------------------------------------------------


def normalize_mobile(value: str) -> str:
    """Digits only, without a +86 / 0086 prefix, as the citizen channel keeps a number."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def mobile_hash(mobile: str) -> str:
    """A keyed hash of the number (HMAC with the secret key): the duplicate check and the
    per-phone rate limit compare these and never read numbers. Empty for none."""
    number = normalize_mobile(mobile)
    return salted_hmac(_HASH_SALT, number, algorithm="sha256").hexdigest() if number else ""


def _same_title(title: str) -> str:
    return re.sub(r"\s+", "", title).casefold()


# --- the cycle -----------------------------------------------------------------------------


def date_label(name: str) -> str:
    """The words of one of the cycle's dates (its field's verbose name)."""
    return str(getattr(Cycle._meta.get_field(name), "verbose_name", name))


def check_dates(values: dict[str, Any]) -> None:
    """The phases' dates follow each other (a date may equal the one before it), and the
    call is open at least ``conf.call_min_days()`` days, both ends counted."""
    opens, closes = values.get("call_opens_on"), values.get("call_closes_on")
    if opens is None or closes is None:
        raise RuleViolation(_("请填写征集开始日期和截止日期。"))
    days = (closes - opens).days + 1
    if days < conf.call_min_days():
        raise RuleViolation(
            _("征集期至少%(min)s天（含首尾两日），现为%(days)s天。")
            % {"min": conf.call_min_days(), "days": days}
        )
    previous: tuple[str, datetime.date] | None = None
    for name in DATE_FIELDS:
        value = values.get(name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            raise RuleViolation(
                _("各阶段日期须依次排列：%(later)s（%(value)s）早于%(earlier)s（%(prior)s）。")
                % {
                    "later": date_label(name),
                    "value": value.isoformat(),
                    "earlier": date_label(previous[0]),
                    "prior": previous[1].isoformat(),
                }
            )
        previous = (name, value)


def cycle_create(
    *,
    congress: Congress,
    year: int,
    title: str,
    region: Region | None = None,
    electorate: str = Electorate.REPRESENTATIVES,
    by: User | None,
    **dates: datetime.date | None,
) -> Cycle:
    """A congress's (or a subdistrict's) year. Problems converted to 民生实事 that waited
    for a call of this region join it now (``proposal_adopt``)."""
    unknown = set(dates) - set(DATE_FIELDS)
    if unknown:
        raise TypeError(f"not a date of the cycle: {sorted(unknown)}")
    region = region or congress.region
    require_in_jurisdiction(by, congress.region, region)
    if not region.is_within(congress.region):
        raise RuleViolation(_("年度工作的行政区划须在该人大所在区划之内。"))
    check_dates(dict(dates))
    if Cycle.objects.filter(region=region, year=year).exists():
        raise RuleViolation(
            _("%(region)s%(year)s年度的民生实事工作已经创建。") % {"region": region, "year": year}
        )
    with transaction.atomic():
        cycle = Cycle.objects.create(
            congress=congress,
            region=region,
            year=year,
            title=title,
            electorate=electorate,
            created_by=by,
            **dates,
        )
        record_event(case_type=CYCLE_CASE, case_id=cycle.pk, action="cycle_create", by=by)
        _adopt_waiting(cycle)
    return cycle


def cycle_edit(*, cycle: Cycle, by: User, **fields: Any) -> Cycle:
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    require_in_jurisdiction(by, cycle.region)
    values = {name: fields.get(name, getattr(cycle, name)) for name in DATE_FIELDS}
    check_dates(values)
    if cycle.vote_id is not None and fields.get("electorate", cycle.electorate) != cycle.electorate:
        raise RuleViolation(_("票决已经创建，不能再改变票决和测评主体。"))
    with transaction.atomic():
        changed = [name for name, value in fields.items() if getattr(cycle, name) != value]
        for name in changed:
            setattr(cycle, name, fields[name])
        if changed:
            cycle.save(update_fields=changed)
            record_event(
                case_type=CYCLE_CASE,
                case_id=cycle.pk,
                action="cycle_edit",
                by=by,
                data={"fields": changed},
            )
    return cycle


def require_phase(
    cycle: Cycle, phases: frozenset[Phase], *, day: datetime.date | None = None
) -> None:
    """Refuse a step the cycle's phase today does not allow, saying which phase it is in."""
    now = phase(cycle, day or today())
    if now not in phases:
        raise RuleViolation(
            _("%(cycle)s目前处于“%(phase)s”阶段，不能进行此项操作。")
            % {"cycle": cycle.title, "phase": now.label}
        )


# --- proposals -----------------------------------------------------------------------------


def _area_of(cycle: Cycle, region: Region) -> Region:
    """The region one level below the cycle's on the way to ``region`` (or the cycle's own)."""
    if region.depth <= cycle.region.depth + 1:
        return region
    ancestor_id = region.ancestor_ids()[cycle.region.depth + 1]
    return Region.objects.get(pk=ancestor_id)


def _check_call_open(cycle: Cycle, day: datetime.date) -> None:
    if cycle.call_closes_on is not None and day > cycle.call_closes_on:
        raise RuleViolation(
            _("%(cycle)s的项目建议征集已于%(date)s截止，不再接收新的建议。")
            % {"cycle": cycle.title, "date": cycle.call_closes_on.isoformat()}
        )
    if cycle.call_opens_on is None or day < cycle.call_opens_on:
        raise RuleViolation(
            _("%(cycle)s的项目建议征集尚未开始。") % {"cycle": cycle.title}
            if cycle.call_opens_on is None
            else _("%(cycle)s的项目建议征集将于%(date)s开始。")
            % {"cycle": cycle.title, "date": cycle.call_opens_on.isoformat()}
        )


def check_proposal(
    *, place: str, estimated_cost: Decimal | None, title: str = "", description: str = ""
) -> None:
    """The contents every channel must give: a title, what is to be done, where, and a
    cost that is a plausible number of 万元 if one is given."""
    if not title.strip():
        raise RuleViolation(_("请填写项目名称。"))
    if not description.strip():
        raise RuleViolation(_("请说明要办的实事是什么。"))
    if not place.strip():
        raise RuleViolation(
            _("请填写项目实施地点（如街道、小区、路段或村），以便核实和测算，建议不能没有地点。")
        )
    if estimated_cost is not None and (estimated_cost < 0 or estimated_cost > conf.max_cost()):
        raise RuleViolation(
            _("估算投资须在0至%(max)s万元之间（单位为万元），请核对后重新填写。")
            % {"max": f"{conf.max_cost():,.0f}"}
        )


@dataclass(frozen=True)
class Submitted:
    """A stored proposal, and the earlier one of the same phone it was merged into
    (``None``: a new proposal)."""

    proposal: Proposal
    duplicate_of: Proposal | None = None
    replayed: bool = False


def proposal_submit(
    *,
    cycle: Cycle,
    channel: str,
    region: Region,
    title: str,
    description: str,
    place: str,
    theme: str,
    estimated_cost: Decimal | None = None,
    beneficiaries: str = "",
    mobile: str = "",
    idempotency_key: uuid.UUID | None = None,
    representative: Representative | None = None,
    department: Department | None = None,
    photos: Sequence[CleanUpload] = (),
    by: User | None = None,
    day: datetime.date | None = None,
) -> Submitted:
    """A proposal in the open call. A citizen (``by=None``) leaves a phone; the same phone
    proposing the same title again in this call is stored merged into the first (nothing
    is lost and the proposer is told). A retry of the same form (same idempotency key)
    finds the first submission."""
    day = day or today()
    if idempotency_key is not None:
        stored = Proposal.objects.filter(idempotency_key=idempotency_key).first()
        if stored is not None:
            return Submitted(
                stored, stored.merged_into if stored.status == P.MERGED else None, True
            )
    _check_call_open(cycle, day)
    if len(photos) > conf.max_photos():
        raise RuleViolation(_("最多上传%(n)s张照片。") % {"n": conf.max_photos()})
    check_proposal(place=place, estimated_cost=estimated_cost, title=title, description=description)
    if not region.is_within(cycle.region):
        raise RuleViolation(_("所选地区不在%(region)s范围内。") % {"region": cycle.region.name})
    channel = ProposalChannel(channel)
    number = normalize_mobile(mobile)
    if channel == ProposalChannel.CITIZEN:
        if not _MOBILE.match(number):
            raise RuleViolation(
                _("请填写正确的11位手机号码（如 13812345678），用于确认和查询办理结果。")
            )
    elif channel == ProposalChannel.REPRESENTATIVE:
        if by is None or representative is None or representative.user_id != by.pk:
            raise OutOfJurisdiction
        if not holds_seat(representative, cycle.congress):
            raise RuleViolation(
                _("您不是%(congress)s的在任代表，不能向本次征集提出建议。")
                % {"congress": cycle.congress}
            )
    elif channel == ProposalChannel.DEPARTMENT:
        if by is None or department is None:
            raise OutOfJurisdiction
        if department.pk not in by.department_ids and not by.is_superuser:
            raise OutOfJurisdiction
        if not department.region.is_within(cycle.region) and not cycle.region.is_within(
            department.region
        ):
            raise RuleViolation(_("该部门不属于本次征集的地区。"))
    hashed = mobile_hash(number) if number else ""
    with transaction.atomic():
        first = None
        if hashed:
            key = _same_title(title)
            for earlier in Proposal.objects.filter(
                cycle=cycle, mobile_hash=hashed, merged_into__isnull=True
            ).only("pk", "title", "status"):
                if _same_title(earlier.title) == key:
                    first = earlier
                    break
        fields: dict[str, Any] = {
            "cycle": cycle,
            "channel": channel,
            "region": region,
            "area": _area_of(cycle, region),
            "title": title.strip(),
            "description": description.strip(),
            "place": place.strip(),
            "theme": theme,
            "estimated_cost": estimated_cost,
            "beneficiaries": beneficiaries.strip(),
            "mobile": number,
            "mobile_hash": hashed,
            "idempotency_key": idempotency_key,
            "representative": representative if channel == ProposalChannel.REPRESENTATIVE else None,
            "department": department if channel == ProposalChannel.DEPARTMENT else None,
            "submitted_by": by,
        }
        if first is not None:
            fields.update(
                status=P.MERGED,
                merged_into=first,
                screening_reason=ScreeningReason.MERGED,
                screened_at=timezone.now(),
            )
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(**fields)
        except IntegrityError:
            # The same form sent twice at once: the other request stored it.
            stored = Proposal.objects.get(idempotency_key=idempotency_key)
            return Submitted(stored, stored.merged_into, True)
        submitted = record_event(
            case_type=PROPOSAL_CASE,
            case_id=proposal.pk,
            action="proposal_submit",
            by=by,
            actor_label="" if by else _("群众"),
            to_status=proposal.status,
            data={"channel": channel.value, "photos": len(photos)},
        )
        for photo in photos:
            attach_to_event(event=submitted, upload=photo)
        if first is not None:
            Proposal.objects.filter(pk=first.pk).update(merged_count=F("merged_count") + 1)
            record_event(
                case_type=PROPOSAL_CASE,
                case_id=proposal.pk,
                action="proposal_duplicate",
                by=by,
                actor_label="" if by else _("群众"),
                public_note=_("您已提交过同名建议（%(title)s），本次提交已合并到第一次提交的建议。")
                % {"title": first.title},
                data={"into": first.pk},
            )
    return Submitted(proposal, first)


def _adopt_waiting(cycle: Cycle) -> int:
    """Problems converted to 民生实事 while no call of their region was open join the new
    cycle of their region (a problem is adopted once), if its call is still to come or
    open: a cycle entered afterwards for a past year takes none."""
    if cycle.call_closes_on is None or cycle.call_closes_on < today():
        return 0
    waiting = list(
        Proposal.objects.filter(
            cycle__isnull=True, region__path__startswith=cycle.region.path
        ).select_related("region")
    )
    for proposal in waiting:
        Proposal.objects.filter(pk=proposal.pk, cycle__isnull=True).update(
            cycle=cycle, area=_area_of(cycle, proposal.region)
        )
        record_event(
            case_type=PROPOSAL_CASE,
            case_id=proposal.pk,
            action="proposal_adopt",
            by=None,
            public_note=_("已列入%(cycle)s的项目建议征集。") % {"cycle": cycle.title},
            data={"cycle": cycle.pk},
        )
    return len(waiting)


def open_call_of(region: Region, day: datetime.date | None = None) -> Cycle | None:
    """The call open on ``day`` nearest to ``region``: of the cycles whose region holds it,
    the deepest (a district's call before the city's)."""
    day = day or today()
    ancestors = region.ancestor_ids()
    return (
        Cycle.objects.filter(
            region_id__in=ancestors, call_opens_on__lte=day, call_closes_on__gte=day
        )
        .select_related("region", "congress")
        .order_by("-region__depth")
        .first()
    )


def problem_propose(
    *,
    problem_id: int,
    region: Region,
    title: str,
    description: str,
    place: str,
    by: User | None,
) -> str:
    """A citizen's problem converted to 民生实事 (the citizen channel calls this through
    ``congress.registry``): a proposal of channel ``problem`` in the open call of its
    region, or, with none open, a proposal waiting for the next call of its region.
    Returns the sentence the citizen's tracking page shows, which says which of the two
    happened."""
    cycle = open_call_of(region)
    proposal = Proposal.objects.create(
        cycle=cycle,
        channel=ProposalChannel.PROBLEM,
        region=region,
        area=_area_of(cycle, region) if cycle else None,
        title=title[:200],
        description=description,
        place=(place or region.name)[:200],
        submitted_by=by,
        problem_id=problem_id,
    )
    record_event(
        case_type=PROPOSAL_CASE,
        case_id=proposal.pk,
        action="proposal_submit",
        by=by,
        to_status=proposal.status,
        data={"channel": ProposalChannel.PROBLEM.value, "problem": problem_id},
    )
    if cycle is not None:
        assert cycle.call_closes_on is not None
        return _(
            "代表已将您反映的问题作为民生实事项目建议，列入%(cycle)s的项目建议征集"
            "（征集截止%(date)s），筛选结果将在此公布。"
        ) % {"cycle": cycle.title, "date": cycle.call_closes_on.isoformat()}
    return _(
        "代表已将您反映的问题作为民生实事项目建议提出。目前没有正在进行的项目征集，"
        "它将在本地区下一次征集开始时自动列入。"
    )


# --- screening -----------------------------------------------------------------------------


def _manage(proposal: Proposal, by: User, phases: frozenset[Phase]) -> Cycle:
    cycle = proposal.cycle
    if cycle is None:
        raise RuleViolation(_("这条建议还在等待下一次征集。"))
    require_in_jurisdiction(by, cycle.region)
    require_phase(cycle, phases)
    return cycle


def _tell_proposer(proposal: Proposal, title: str) -> None:
    """Representatives and clerks hear the outcome in their inbox; citizens read it on
    their tracking page (the event's public note)."""
    if proposal.channel in (ProposalChannel.REPRESENTATIVE, ProposalChannel.DEPARTMENT):
        user = proposal.submitted_by
        if user is not None:
            notify(
                recipients=[user],
                kind="livelihood_proposal",
                title=title,
                url=proposal.get_absolute_url(),
                case_type=PROPOSAL_CASE,
                case_id=proposal.pk,
            )


def proposal_accept(
    *, proposal: Proposal, by: User, note: str = "", expected_version: int | None = None
) -> Proposal:
    _manage(proposal, by, SCREEN_PHASES)
    with transaction.atomic():
        apply_transition(
            instance=proposal,
            transitions=PROPOSAL_TRANSITIONS,
            action="proposal_accept",
            by=by,
            case_type=PROPOSAL_CASE,
            note=note,
            public_note=_("您的建议经筛选予以采纳，将研究列入候选项目。"),
            updates={"screening_reason": "", "screening_note": note, "screened_at": timezone.now()},
            expected_version=expected_version,
        )
        _tell_proposer(
            proposal, _("您的民生实事项目建议“%(title)s”已被采纳") % {"title": proposal.title}
        )
    return proposal


def proposal_screen_out(
    *,
    proposal: Proposal,
    reason: str,
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """Not taken on, with a recorded reason (``ScreeningReason``; 合并 is ``proposal_merge``)."""
    _manage(proposal, by, SCREEN_PHASES)
    if reason not in ScreeningReason.values or reason == ScreeningReason.MERGED:
        raise RuleViolation(_("请选择不予采纳的原因（合并请用“合并建议”）。"))
    if reason == ScreeningReason.OTHER and not note.strip():
        raise RuleViolation(_("原因为“其他”时，请写明筛选意见。"))
    label = ScreeningReason(reason).label
    with transaction.atomic():
        apply_transition(
            instance=proposal,
            transitions=PROPOSAL_TRANSITIONS,
            action="proposal_screen_out",
            by=by,
            case_type=PROPOSAL_CASE,
            note=note,
            public_note=_("您的建议经筛选暂不列入：%(reason)s。%(note)s")
            % {"reason": label, "note": note},
            updates={
                "screening_reason": reason,
                "screening_note": note,
                "screened_at": timezone.now(),
            },
            expected_version=expected_version,
            data={"reason": reason},
        )
        _tell_proposer(
            proposal,
            _("您的民生实事项目建议“%(title)s”暂不列入：%(reason)s")
            % {"title": proposal.title, "reason": label},
        )
    return proposal


def proposal_merge(
    *,
    proposal: Proposal,
    into: Proposal,
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """合并: a duplicate goes into one proposal of the same call, with what had been merged
    into it, so a chain of merges ends on one proposal."""
    cycle = _manage(proposal, by, SCREEN_PHASES)
    if into.pk == proposal.pk or into.cycle_id != cycle.pk:
        raise RuleViolation(_("只能合并到同一次征集中的另一条建议。"))
    if into.status in (P.MERGED, P.SCREENED_OUT):
        raise RuleViolation(_("不能合并到已合并或未采纳的建议，请选择保留的那一条。"))
    with transaction.atomic():
        moved = Proposal.objects.filter(merged_into=proposal).update(merged_into=into)
        apply_transition(
            instance=proposal,
            transitions=PROPOSAL_TRANSITIONS,
            action="proposal_merge",
            by=by,
            case_type=PROPOSAL_CASE,
            note=note,
            public_note=_("您的建议与内容相同的建议“%(title)s”合并研究。") % {"title": into.title},
            updates={
                "merged_into": into,
                "screening_reason": ScreeningReason.MERGED,
                "screening_note": note,
                "screened_at": timezone.now(),
                "merged_count": 0,
            },
            expected_version=expected_version,
            data={"into": into.pk},
        )
        Proposal.objects.filter(pk=into.pk).update(
            # Itself and every proposal that had gone into it (now re-pointed).
            merged_count=F("merged_count") + 1 + moved
        )
        _tell_proposer(
            proposal,
            _("您的民生实事项目建议“%(title)s”已与同类建议合并研究") % {"title": proposal.title},
        )
    return proposal


# --- the shortlist and the vote ------------------------------------------------------------


def shortlist_add(
    *,
    cycle: Cycle,
    proposals: list[Proposal],
    title: str,
    description: str,
    department: Department,
    budget: Decimal,
    deadline: datetime.date,
    place: str,
    by: User | None,
    order: int | None = None,
    day: datetime.date | None = None,
) -> ShortlistEntry:
    """A project of the government's candidate list, from one or more accepted proposals
    of the cycle (which then record it). ``day`` is today unless the demo writes history."""
    require_in_jurisdiction(by, cycle.region)
    require_phase(cycle, SHORTLIST_PHASES, day=day)
    if not department.region.is_within(cycle.region) and not cycle.region.is_within(
        department.region
    ):
        raise RuleViolation(_("责任单位须为本级或下级政府部门。"))
    if not proposals:
        raise RuleViolation(_("候选项目须来自至少一条已采纳的建议。"))
    if any(p.cycle_id != cycle.pk or p.status != P.ACCEPTED for p in proposals):
        raise RuleViolation(_("只能把本次征集中已采纳的建议列入候选项目。"))
    check_proposal(place=place, estimated_cost=budget, title=title, description=description)
    if cycle.vote_id is not None:
        raise RuleViolation(_("票决已经创建，候选项目清单不能再修改。"))
    with transaction.atomic():
        if order is None:
            last = cycle.shortlist.order_by("-order").values_list("order", flat=True).first()
            order = (last or 0) + 1
        entry = ShortlistEntry.objects.create(
            cycle=cycle,
            title=title.strip(),
            description=description.strip(),
            department=department,
            budget=budget,
            deadline=deadline,
            place=place.strip(),
            order=order,
        )
        for proposal in proposals:
            apply_transition(
                instance=proposal,
                transitions=PROPOSAL_TRANSITIONS,
                action="proposal_shortlist",
                by=by,
                case_type=PROPOSAL_CASE,
                public_note=_("您的建议已列入候选项目“%(title)s”，将提交人大代表票决。")
                % {"title": entry.title},
                updates={"entry": entry},
                data={"entry": entry.pk},
            )
            _tell_proposer(
                proposal,
                _("您的民生实事项目建议“%(title)s”已列入候选项目") % {"title": proposal.title},
            )
        record_event(
            case_type=CYCLE_CASE,
            case_id=cycle.pk,
            action="shortlist_add",
            by=by,
            data={"entry": entry.pk, "title": entry.title},
        )
        _unreviewed(cycle)
    return entry


def _unreviewed(cycle: Cycle) -> None:
    """A change of the shortlist clears the congress's review of it: the vote must be
    made from the list the congress reviewed."""
    Cycle.objects.filter(pk=cycle.pk).update(shortlist_reviewed_at=None, shortlist_review="")
    cycle.shortlist_reviewed_at, cycle.shortlist_review = None, ""


def shortlist_review(
    *, cycle: Cycle, note: str, by: User, day: datetime.date | None = None
) -> Cycle:
    """The congress reviews the government's shortlist (人大常委会主任会议或常委会会议审议)
    before the representatives vote on it; staff record when and what was decided."""
    require_in_jurisdiction(by, cycle.region)
    require_phase(cycle, SHORTLIST_PHASES | VOTE_CREATE_PHASES, day=day)
    if cycle.vote_id is not None:
        raise RuleViolation(_("票决已经创建，候选项目清单不能再审议。"))
    if not cycle.shortlist.exists():
        raise RuleViolation(_("候选项目清单为空，请先从已采纳的建议中确定候选项目。"))
    note = note.strip()
    if not note:
        raise RuleViolation(_("请写明审议情况，例如：经主任会议审议，同意提交代表票决。"))
    with transaction.atomic():
        cycle.shortlist_reviewed_at, cycle.shortlist_review = timezone.now(), note
        cycle.save(update_fields=["shortlist_reviewed_at", "shortlist_review"])
        record_event(
            case_type=CYCLE_CASE,
            case_id=cycle.pk,
            action="shortlist_review",
            by=by,
            note=note,
        )
    return cycle


def shortlist_remove(*, entry: ShortlistEntry, by: User) -> None:
    """Take a project off the list before the vote is made; its proposals are accepted again."""
    cycle = entry.cycle
    require_in_jurisdiction(by, cycle.region)
    require_phase(cycle, SHORTLIST_PHASES)
    if cycle.vote_id is not None:
        raise RuleViolation(_("票决已经创建，候选项目清单不能再修改。"))
    with transaction.atomic():
        for proposal in list(entry.proposals.all()):
            apply_transition(
                instance=proposal,
                transitions=PROPOSAL_TRANSITIONS,
                action="proposal_unshortlist",
                by=by,
                case_type=PROPOSAL_CASE,
                updates={"entry": None},
            )
        record_event(
            case_type=CYCLE_CASE,
            case_id=cycle.pk,
            action="shortlist_remove",
            by=by,
            data={"title": entry.title},
        )
        entry.delete()
        _unreviewed(cycle)


def cycle_vote_create(
    *,
    cycle: Cycle,
    seats: int,
    by: User,
    ballot_form: str = BallotForm.UP_TO_N,
    session: Session | None = None,
    title: str = "",
    day: datetime.date | None = None,
) -> LivelihoodVote:
    """The vote on the shortlist: a draft ``LivelihoodVote`` of the cycle's congress with
    one candidate per entry, in ballot order, through the vote's own services (the
    differential check applies when it opens). Each entry and its proposals record
    their candidate."""
    require_in_jurisdiction(by, cycle.region)
    require_phase(cycle, VOTE_CREATE_PHASES, day=day)
    entries = list(cycle.shortlist.select_related("department").order_by("order", "pk"))
    if not entries:
        raise RuleViolation(_("候选项目清单为空，请先从已采纳的建议中确定候选项目。"))
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.vote_id is not None:
            raise RuleViolation(_("本年度的票决已经创建。"))
        if locked.shortlist_reviewed_at is None:
            raise RuleViolation(
                _("候选项目清单须先经人大常委会审议：请先记录审议情况，再创建票决。")
            )
        # A subdistrict's vote is its 议政会's: the vote knows it from its cycle
        # (docs/livelihood-subdistricts.md).
        default_title = (
            _("%(title)s议政代表票决")
            if cycle.electorate == Electorate.VOTER_DELEGATES
            else _("%(title)s代表票决")
        )
        vote = vote_services.vote_create(
            congress=cycle.congress,
            title=title or default_title % {"title": cycle.title},
            year=cycle.year,
            seats=seats,
            ballot_form=ballot_form,
            session=session,
            cycle=locked,
            by=by,
        )
        for entry in entries:
            candidate = vote_services.candidate_add(
                vote=vote,
                title=entry.title,
                summary=_("%(description)s\n实施地点：%(place)s")
                % {"description": entry.description, "place": entry.place},
                department=entry.department,
                budget=entry.budget,
                deadline=entry.deadline.isoformat(),
                by=by,
            )
            ShortlistEntry.objects.filter(pk=entry.pk).update(candidate=candidate)
            Proposal.objects.filter(entry=entry).update(candidate=candidate)
        cycle.vote = vote
        record_event(
            case_type=CYCLE_CASE,
            case_id=cycle.pk,
            action="cycle_vote_create",
            by=by,
            data={"vote": vote.pk, "candidates": len(entries)},
        )
    return vote
