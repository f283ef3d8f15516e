"""Reads of department evaluations: one scoping function, who may do what, lists.

Who sees an evaluation (docs/architecture.md, 'Who sees what'):
- congress staff of the evaluation's region or a region above it (and administrators);
- representatives with a live seat in its congress, once it is no longer a draft;
- everyone, without an account, once its ranking is published (``published_evaluations``:
  the public page; figures per subject only, no voter).
Everyone else (department clerks, committee members as such) gets a 404.

Who scored is the core's ballot box (its electors); what was scored is its published
list once closed. While an evaluation is open there is no figure per subject anywhere.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from congress.models import Congress, Elector
from congress.scoping import AnyUser, in_jurisdiction, region_scope_q
from representatives.models import Delegation, Mandate, MandateStatus, Representative
from representatives.selectors import representative_of
from supervision.models.evaluation import (
    Evaluation,
    EvaluationCriterion,
    EvaluationStatus,
    EvaluationSubject,
)

S = EvaluationStatus
LIST_ORDER = ("-created_at", "-pk")


def _seated(representative: Representative) -> QuerySet[Mandate]:
    return Mandate.objects.filter(
        representative=representative,
        status=MandateStatus.ACTIVE,
        term__congress=OuterRef("congress"),
    )


def evaluation_scope_q(user: AnyUser) -> Q | None:
    """The filter behind ``visible_evaluations``; None means everything (administrators)."""
    staff = region_scope_q(user, "region__path")
    if staff is None:
        return None
    representative = representative_of(user)
    if representative is not None:
        staff |= Q(Exists(_seated(representative))) & ~Q(status=S.DRAFT)
    return staff


def visible_evaluations(user: AnyUser) -> QuerySet[Evaluation]:
    evaluations = Evaluation.objects.select_related("congress__region", "region", "box")
    query = evaluation_scope_q(user)
    return evaluations if query is None else evaluations.filter(query)


def published_evaluations() -> QuerySet[Evaluation]:
    """The public scope: published rankings, for anyone."""
    return Evaluation.objects.select_related("region", "congress").filter(status=S.PUBLISHED)


def manages(user: AnyUser, evaluation: Evaluation) -> bool:
    """Staff of the evaluation's region or above, or an administrator."""
    return in_jurisdiction(user, evaluation.region)


def congresses_managed(user: AnyUser) -> QuerySet[Congress]:
    query = region_scope_q(user, "region__path")
    congresses = Congress.objects.select_related("region").order_by("region__path")
    return congresses if query is None else congresses.filter(query)


def delegations_managed(user: AnyUser) -> QuerySet[Delegation]:
    query = region_scope_q(user, "congress__region__path")
    delegations = Delegation.objects.select_related("congress").order_by("congress", "name")
    return delegations if query is None else delegations.filter(query)


def electorate_of(evaluation: Evaluation) -> list[int]:
    """The representatives (ids) with a live seat in the evaluation's congress, of its
    delegation if it names one: the electorate frozen when it opens."""
    mandates = Mandate.objects.filter(
        status=MandateStatus.ACTIVE, term__congress=evaluation.congress_id
    )
    if evaluation.delegation_id is not None:
        mandates = mandates.filter(delegation=evaluation.delegation_id)
    return list(mandates.values_list("representative", flat=True).distinct())


def subjects_of(evaluation: Evaluation) -> QuerySet[EvaluationSubject]:
    return evaluation.subjects.order_by("order", "pk")


def criteria_of(evaluation: Evaluation) -> QuerySet[EvaluationCriterion]:
    return evaluation.criteria.order_by("order", "pk")


def ranking(evaluation: Evaluation) -> QuerySet[EvaluationSubject]:
    """The subjects by rank (unscored last), once closed."""
    return evaluation.subjects.order_by("rank", "order", "pk")


def is_elector(evaluation: Evaluation, representative: Representative) -> bool:
    if evaluation.box_id is None:
        return False
    return Elector.objects.filter(box=evaluation.box_id, voter=representative.pk).exists()


def has_scored(evaluation: Evaluation, representative: Representative) -> bool:
    return Elector.objects.filter(
        box=evaluation.box_id, voter=representative.pk, channel__isnull=False
    ).exists()


def participation(evaluation: Evaluation) -> int:
    """How many have scored so far (staff may see it while open: it says nothing about
    the scores); after the close, the count written then."""
    if evaluation.status in (S.CLOSED, S.PUBLISHED):
        return evaluation.voted
    if evaluation.box_id is None:
        return 0
    return Elector.objects.filter(box=evaluation.box_id, channel__isnull=False).count()


def open_evaluations_for(representative: Representative) -> QuerySet[Evaluation]:
    """The open evaluations in whose electorate this representative is, each with
    whether they have scored already (``scored``)."""
    mine = Elector.objects.filter(box=OuterRef("box"), voter=representative.pk)
    return (
        Evaluation.objects.filter(Exists(mine), status=S.OPEN)
        .annotate(scored=Exists(mine.filter(channel__isnull=False)))
        .order_by("closes_at", "pk")
    )
