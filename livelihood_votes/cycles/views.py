"""Pages of the livelihood year's cycle (docs/livelihood-call.md).

Staff: the cycles, a new cycle and its dates, the cycle's page (its phase, what can be
done now, the counts, the shortlist and the vote made from it), the screening list and a
proposal's page with its steps. Representatives and department clerks (phone): the open
calls they may propose to, the proposal form and their own proposals' pages.

Each view loads through a scoped selector (404 outside the scope), validates, calls one
service (or takes a step of the action table) and responds; a refusal is shown beside
the form with what was typed kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError
from congress.form_steps import submit
from congress.keyset import keyset_page
from congress.models import Department
from congress.scoping import acting_user, get_visible_or_404, visible_regions
from congress.workflow import timeline
from livelihood_votes.cycles import actions, selectors, services
from livelihood_votes.cycles.forms import (
    CycleCreateForm,
    CycleForm,
    DepartmentProposalForm,
    ProposalForm,
)
from livelihood_votes.cycles.workflow import CYCLE_CASE, PROPOSAL_CASE, Phase
from livelihood_votes.models import (
    Cycle,
    Proposal,
    ProposalChannel,
    ProposalStatus,
    ProposalTheme,
)
from livelihood_votes.models.cycles import ShortlistEntry
from livelihood_votes.selectors import congresses_managed
from livelihood_votes.views import staff_required
from representatives.selectors import representative_of


def _managed_cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = get_visible_or_404(selectors.visible_cycles(request.user), pk=pk)
    if not selectors.manages(request.user, cycle):
        raise Http404
    return cycle


# --- cycles ---------------------------------------------------------------------------------


@staff_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = list(selectors.cycle_list(request.user)[:100])
    day = timezone.localdate()
    rows = [(cycle, selectors.cycle_phase(cycle, day)) for cycle in cycles]
    return render(request, "livelihood_votes/cycles/cycle_list.html", {"rows": rows})


@staff_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    form = CycleCreateForm(
        request.POST or None,
        congresses=congresses_managed(request.user),
        regions=visible_regions(request.user),
    )
    sent = submit(
        request, form, lambda data: services.cycle_create(by=acting_user(request), **data)
    )
    if sent.done:
        messages.success(request, _("年度工作已创建。"))
        return redirect(sent.result)
    return _cycle_form(request, form, None, sent.status)


@staff_required
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _managed_cycle(request, pk)
    form = CycleForm(request.POST or None, instance=cycle)
    sent = submit(
        request,
        form,
        lambda data: services.cycle_edit(cycle=cycle, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("已保存。"))
        return redirect(cycle)
    return _cycle_form(request, form, cycle, sent.status)


def _cycle_form(
    request: HttpRequest, form: CycleForm, cycle: Cycle | None, status: int
) -> HttpResponse:
    """A new cycle's or an existing one's form, again with what was typed on a refusal."""
    context = {"form": form, "cycle": cycle}
    return render(request, "livelihood_votes/cycles/cycle_form.html", context, status=status)


def _cycle_page(
    request: HttpRequest, cycle: Cycle, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    allowed = actions.allowed_on_cycle(request.user, cycle)
    forms = {
        name: actions.CYCLE_ACTIONS[name].form(cycle, request.user, (bound or {}).get(name))
        for name in allowed
    }
    now = selectors.cycle_phase(cycle)
    context = {
        "cycle": cycle,
        "phase": now,
        "phases": [(p, p == now) for p in Phase],
        "counts": selectors.call_counts(cycle),
        "status_labels": dict(ProposalStatus.choices),
        "channel_labels": dict(ProposalChannel.choices),
        "shortlist": selectors.shortlist(cycle),
        "allowed": allowed,
        "shortlist_form": forms.get("shortlist_add"),
        "vote_form": forms.get("create_vote"),
        "review_form": forms.get("review_shortlist"),
        "may_remove": "shortlist_add" in allowed,
        "events": timeline(CYCLE_CASE, cycle.pk),
        "dates": [
            (services.date_label(name), getattr(cycle, name)) for name in services.DATE_FIELDS
        ],
    }
    return render(request, "livelihood_votes/cycles/cycle_detail.html", context, status=status)


@staff_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _cycle_page(request, _managed_cycle(request, pk))


@staff_required
@require_POST
def cycle_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    cycle = _managed_cycle(request, pk)
    try:
        declared = actions.take_on_cycle(cycle, action, acting_user(request), request.POST)
    except DomainError as error:
        messages.error(request, str(error.message))
        return _cycle_page(request, cycle, bound={action: request.POST}, status=400)
    messages.success(request, str(declared.done))
    cycle.refresh_from_db()
    if action == "create_vote" and cycle.vote is not None:
        return redirect(cycle.vote)
    return redirect(cycle)


@staff_required
@require_POST
def shortlist_remove(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    cycle = _managed_cycle(request, pk)
    entry = get_visible_or_404(ShortlistEntry.objects.filter(cycle=cycle), pk=entry_id)
    try:
        services.shortlist_remove(entry=entry, by=acting_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已从候选项目清单中删除，相关建议恢复为已采纳。"))
    return redirect(cycle)


# --- screening ------------------------------------------------------------------------------


@staff_required
def proposal_list(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _managed_cycle(request, pk)
    page = keyset_page(
        selectors.cycle_proposals(cycle, request.GET), request.GET, ordering=("-created_at", "-pk")
    )
    return render(
        request,
        "livelihood_votes/cycles/proposal_list.html",
        {
            "cycle": cycle,
            "page": page,
            "areas": list(selectors.cycle_areas(cycle)),
            "statuses": ProposalStatus.choices,
            "channels": ProposalChannel.choices,
            "themes": ProposalTheme.choices,
            "chosen": {name: request.GET.get(name, "") for name in selectors.FILTERS},
        },
    )


def _proposal_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    bound: tuple[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    allowed = actions.allowed_on_proposal(request.user, proposal)
    forms = {
        # Each step's form has ids of its own: three forms on one page share field names.
        name: actions.PROPOSAL_ACTIONS[name].form(
            bound[1] if bound and bound[0] == name else None, auto_id=f"{name}_%s"
        )
        for name in allowed
    }
    manages = proposal.cycle is not None and selectors.manages(request.user, proposal.cycle)
    return render(
        request,
        "livelihood_votes/cycles/proposal_detail.html",
        {
            "proposal": proposal,
            "manages": manages,
            "allowed": allowed,
            "accept_form": forms.get("accept"),
            "screen_out_form": forms.get("screen_out"),
            "merge_form": forms.get("merge"),
            "events": timeline(PROPOSAL_CASE, proposal.pk)
            if manages
            else selectors.public_events(proposal),
            "merged": list(proposal.merged.order_by("pk")[:50]) if manages else [],
        },
        status=status,
    )


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_visible_or_404(selectors.visible_proposals(request.user), pk=pk)
    return _proposal_page(request, proposal)


@login_required
@require_POST
def proposal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = get_visible_or_404(selectors.visible_proposals(request.user), pk=pk)
    try:
        declared = actions.take_on_proposal(proposal, action, acting_user(request), request.POST)
    except DomainError as error:
        messages.error(request, str(error.message))
        return _proposal_page(request, proposal, bound=(action, request.POST), status=400)
    messages.success(request, str(declared.done))
    return redirect(proposal)


# --- representatives and clerks propose -----------------------------------------------------


def _proposer_calls(request: HttpRequest) -> tuple[list[Cycle], list[Cycle]]:
    return (
        list(selectors.calls_open_to_representative(request.user)),
        list(selectors.calls_open_to_departments(request.user)),
    )


@login_required
def my_proposals(request: HttpRequest) -> HttpResponse:
    as_representative, as_department = _proposer_calls(request)
    mine = list(
        Proposal.objects.filter(submitted_by=acting_user(request))
        .select_related("cycle")
        .order_by("-created_at", "-pk")[:50]
    )
    return render(
        request,
        "livelihood_votes/cycles/my_proposals.html",
        {"as_representative": as_representative, "as_department": as_department, "mine": mine},
    )


@login_required
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """A representative (their phone) or a department clerk proposes to an open call."""
    as_representative, as_department = _proposer_calls(request)
    cycle = next((c for c in as_representative if c.pk == pk), None)
    channel = ProposalChannel.REPRESENTATIVE
    if cycle is None:
        cycle = next((c for c in as_department if c.pk == pk), None)
        channel = ProposalChannel.DEPARTMENT
    if cycle is None:
        raise Http404
    form: ProposalForm
    if channel == ProposalChannel.DEPARTMENT:
        form = DepartmentProposalForm(
            request.POST or None,
            request.FILES or None,
            cycle=cycle,
            departments=Department.objects.filter(
                pk__in=acting_user(request).department_ids, is_active=True
            ),
        )
    else:
        form = ProposalForm(request.POST or None, request.FILES or None, cycle=cycle)

    def run(data: Any) -> Any:
        data = dict(data)
        return services.proposal_submit(
            cycle=cycle,
            channel=channel,
            region=data.pop("area"),
            representative=representative_of(request.user),
            by=acting_user(request),
            **data,
        )

    sent = submit(request, form, run)
    if sent.done:
        messages.success(request, _("建议已提交，筛选结果将通知您。"))
        return redirect(sent.result.proposal)
    return render(
        request,
        "livelihood_votes/cycles/propose.html",
        {"form": form, "cycle": cycle, "status": sent.status},
        status=sent.status,
    )
