"""Pages of the department evaluation (工作评议, 云评议).

Staff: the list, a new evaluation, its page (subjects, criteria, window, the steps of
``actions.EVALUATION_ACTIONS``, participation, and the ranking once closed).
Representatives (phone): the scoring page, every subject on one page, and the receipt
(shown once, in the answer to the ballot itself). Anyone: the published ranking.

Each view loads through a scoped selector (404 outside the scope), validates, calls one
service and responds.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress.ballots.http import session_untouched
from congress.errors import DomainError
from congress.form_steps import submit
from congress.keyset import keyset_page
from congress.models import Department, Region
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin, region_scope_q
from congress.workflow import timeline
from representatives.models import Representative
from representatives.selectors import representative_of
from supervision.evaluation import actions, conf, selectors, services
from supervision.evaluation.forms import EvaluationForm
from supervision.evaluation.workflow import EVALUATION_CASE
from supervision.models.evaluation import EvaluationStatus

S = EvaluationStatus


def _departments(request: HttpRequest) -> QuerySet[Department]:
    query = region_scope_q(request.user, "region__path")
    departments = Department.objects.select_related("region").order_by("region__path", "name")
    return departments if query is None else departments.filter(query)


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.visible_evaluations(request.user)
    page = keyset_page(rows, request.GET, ordering=selectors.LIST_ORDER)
    return render(
        request,
        "supervision/evaluation/list.html",
        {"page": page, "can_create": is_staff_or_admin(request.user)},
    )


@login_required
def evaluation_create(request: HttpRequest) -> HttpResponse:
    if not is_staff_or_admin(request.user):
        raise Http404
    form = EvaluationForm(
        request.POST or None,
        congresses=selectors.congresses_managed(request.user),
        departments=_departments(request),
        delegations=selectors.delegations_managed(request.user),
    )
    sent = submit(
        request, form, lambda data: services.evaluation_create(by=acting_user(request), **data)
    )
    if sent.done:
        messages.success(request, _("工作评议已创建，核对后即可开始评议。"))
        return redirect(sent.result)
    return render(request, "supervision/evaluation/form.html", {"form": form}, status=sent.status)


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_visible_or_404(selectors.visible_evaluations(request.user), pk=pk)
    manages = selectors.manages(request.user, evaluation)
    representative = representative_of(request.user)
    closed = evaluation.status in (S.CLOSED, S.PUBLISHED)
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "manages": manages,
        "criteria": list(selectors.criteria_of(evaluation)),
        "subjects": list(
            selectors.ranking(evaluation) if closed else selectors.subjects_of(evaluation)
        ),
        "closed": closed,
        "participation": selectors.participation(evaluation),
        "buttons": [
            (name, actions.EVALUATION_ACTIONS[name])
            for name in actions.allowed(request.user, evaluation)
        ],
        "timeline": timeline(EVALUATION_CASE, evaluation.pk) if manages else [],
        "can_score": (
            representative is not None
            and evaluation.status == S.OPEN
            and selectors.is_elector(evaluation, representative)
            and not selectors.has_scored(evaluation, representative)
        ),
    }
    return render(request, "supervision/evaluation/detail.html", context)


@require_POST
@login_required
def evaluation_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    evaluation = get_visible_or_404(selectors.visible_evaluations(request.user), pk=pk)
    if not selectors.manages(request.user, evaluation):
        raise Http404
    try:
        actions.take(name, evaluation, acting_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("已完成：%(step)s") % {"step": actions.EVALUATION_ACTIONS[name].label}
        )
    return redirect(evaluation)


def _representative(request: HttpRequest) -> Representative:
    representative = representative_of(request.user)
    if representative is None:
        raise Http404
    return representative


def _field(subject_id: int, criterion_id: int) -> str:
    return f"s{subject_id}-c{criterion_id}"


def read_scores(
    data: Any, keys: list[tuple[int, int]], low: int, high: int
) -> tuple[dict[tuple[int, int], int], int]:
    """The scores as typed ({(subject, criterion): score}) and how many are missing or
    not a whole number within the scale."""
    scores: dict[tuple[int, int], int] = {}
    bad = 0
    for key in keys:
        raw = str(data.get(_field(*key), "")).strip()
        try:
            value = int(raw)
        except ValueError:
            bad += 1
            continue
        if not low <= value <= high:
            bad += 1
            continue
        scores[key] = value
    return scores, bad


@never_cache
@session_untouched
@login_required
def evaluation_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The scoring page: every subject, each criterion a score (or a grade that fills in
    its points). On success the answer IS the receipt page: the receipt goes to the
    voter's screen once and is kept nowhere that names them. Scores travel in the POST
    body only."""
    evaluation = get_visible_or_404(selectors.visible_evaluations(request.user), pk=pk)
    representative = _representative(request)
    if not selectors.is_elector(evaluation, representative):
        raise Http404
    context: dict[str, Any] = {"evaluation": evaluation}
    if evaluation.status != S.OPEN or selectors.has_scored(evaluation, representative):
        context["scored"] = selectors.has_scored(evaluation, representative)
        status = 409 if request.method == "POST" else 200
        return render(request, "supervision/evaluation/ballot_closed.html", context, status=status)
    subjects = list(selectors.subjects_of(evaluation))
    criteria = list(selectors.criteria_of(evaluation))
    keys = [(s.pk, c.pk) for s in subjects for c in criteria]
    low, high = conf.scale()
    status = 200
    if request.method == "POST":
        scores, bad = read_scores(request.POST, keys, low, high)
        if bad:
            context["error"] = _(
                "还有%(count)s项没有打分或分数不在%(low)s至%(high)s之间，请补全后再提交。"
            ) % {"count": bad, "low": low, "high": high}
            status = 400
        else:
            try:
                receipt = services.evaluation_score(
                    evaluation=evaluation,
                    representative=representative,
                    scores=scores,
                    by=acting_user(request),
                )
            except DomainError as error:
                if error.code == "already_voted":
                    context["scored"] = True
                    return render(
                        request, "supervision/evaluation/ballot_closed.html", context, status=409
                    )
                context["error"] = error.message
                status = error.status
            else:
                return render(
                    request,
                    "supervision/evaluation/receipt.html",
                    {"evaluation": evaluation, "receipt": receipt},
                )
    data = request.POST if request.method == "POST" else {}
    context["rows"] = [
        {
            "subject": subject,
            "cells": [
                {
                    "criterion": c,
                    "name": _field(subject.pk, c.pk),
                    "value": data.get(_field(subject.pk, c.pk), ""),
                }
                for c in criteria
            ],
        }
        for subject in subjects
    ]
    context |= {"criteria": criteria, "grades": conf.grades(), "low": low, "high": high}
    return render(request, "supervision/evaluation/ballot.html", context, status=status)


def public_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The published ranking, for anyone: per subject its score and rank, the
    participation; no voter, no ballot."""
    evaluation = get_visible_or_404(selectors.published_evaluations(), pk=pk)
    return render(
        request,
        "supervision/evaluation/public.html",
        {
            "evaluation": evaluation,
            "criteria": list(selectors.criteria_of(evaluation)),
            "subjects": list(selectors.ranking(evaluation)),
            "public_region": evaluation.region,
        },
    )


def public_region(request: HttpRequest, region_id: int) -> HttpResponse:
    """The published evaluations of one region's congress, newest first (keyset pages),
    each linking to its ranking; for anyone."""
    region = get_object_or_404(Region, pk=region_id)
    rows = selectors.published_evaluations().filter(region=region)
    page = keyset_page(rows, request.GET, ordering=selectors.LIST_ORDER)
    return render(
        request,
        "supervision/evaluation/public_region.html",
        {"region": region, "page": page, "public_region": region},
    )
