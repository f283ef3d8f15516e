"""The public pages of the call for proposals (no account; docs/livelihood-call.md).

The open calls, a call's page (how many proposals came in, by area and theme: never a
proposer), the proposal form (CSRF, the core's rate limits per address and per phone,
an idempotency key like the citizen-problem form) and the tracking page reached by the
proposal's secret link (never cached; the core masks such a path segment in every log).
"""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import DomainError
from congress.models import Region
from congress.ratelimit import is_limited, ratelimit, too_many_requests
from livelihood_votes.cycles import conf, selectors, services
from livelihood_votes.cycles.forms import CitizenProposalForm
from livelihood_votes.cycles.workflow import Phase
from livelihood_votes.models import Cycle, ProposalChannel, ProposalStatus


def _no_store(response: HttpResponse) -> HttpResponse:
    """Pages behind a secret link or holding a form: never cached, never indexed."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _phone_key(group: str, request: HttpRequest) -> str:
    return services.mobile_hash(request.POST.get("mobile", "")) or "none"


@ratelimit(group="livelihood-public", rate=conf.rate_tracking, methods=("GET",))
def call_list(request: HttpRequest) -> HttpResponse:
    """The calls open today; from a station's page (``?region=``), the calls its place
    belongs to."""
    region_id = request.GET.get("region", "")
    region = Region.objects.filter(pk=int(region_id)).first() if region_id.isdigit() else None
    calls = selectors.open_calls_for_region(region) if region else selectors.open_calls()
    return render(request, "livelihood_votes/cycles/public_calls.html", {"calls": list(calls)})


def _public_cycle(pk: int) -> Cycle:
    cycle = selectors.public_cycle(pk)
    if cycle is None:
        raise Http404
    return cycle


@ratelimit(group="livelihood-public", rate=conf.rate_tracking, methods=("GET",))
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _public_cycle(pk)
    return render(
        request,
        "livelihood_votes/cycles/public_call.html",
        {
            "cycle": cycle,
            "is_open": selectors.cycle_phase(cycle) == Phase.CALL,
            "counts": selectors.call_counts(cycle),
        },
    )


def call_propose(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _public_cycle(pk)
    if request.method != "POST":
        form = CitizenProposalForm(cycle=cycle, initial={"idempotency_key": uuid.uuid4()})
        return _form_page(request, cycle, form)
    # A retry of a stored proposal (a double tap, a resend on a weak network) leads back
    # to its tracking page and costs nothing: it is looked up before the limits.
    stored = selectors.stored_proposal(request.POST.get("idempotency_key", ""))
    if stored is not None:
        return _to_tracking(stored.tracking_token)
    if is_limited(request, group="livelihood-propose", rate=conf.rate_submit()):
        return too_many_requests(request)
    form = CitizenProposalForm(request.POST, request.FILES, cycle=cycle)
    if request.POST.get("website"):
        # Robots get what looks like success and nothing is stored.
        return _no_store(
            render(request, "livelihood_votes/cycles/public_received.html", {"cycle": cycle})
        )
    if form.is_valid():
        if is_limited(
            request, group="livelihood-propose-phone", rate=conf.rate_submit_phone(), key=_phone_key
        ):
            return too_many_requests(request)
        data = dict(form.cleaned_data)
        data.pop("website", None)
        try:
            submitted = services.proposal_submit(
                cycle=cycle,
                channel=ProposalChannel.CITIZEN,
                region=data.pop("area"),
                by=None,
                **data,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return _to_tracking(submitted.proposal.tracking_token)
    # Answered 200 with the message beside the form, as the citizen-problem form is: a
    # phone's browser shows the page either way, and nothing the citizen typed is lost.
    return _form_page(request, cycle, form)


def _to_tracking(token: str) -> HttpResponse:
    return redirect(f"{reverse('livelihood_proposal_track', args=[token])}?new=1")


def _form_page(
    request: HttpRequest, cycle: Cycle, form: CitizenProposalForm, status: int = 200
) -> HttpResponse:
    is_open = selectors.cycle_phase(cycle) == Phase.CALL
    closed_note = ""
    if not is_open and cycle.call_closes_on and timezone.localdate() > cycle.call_closes_on:
        closed_note = _("本次征集已于%(date)s截止。") % {"date": cycle.call_closes_on.isoformat()}
    return _no_store(
        render(
            request,
            "livelihood_votes/cycles/public_propose.html",
            {"cycle": cycle, "form": form, "is_open": is_open, "closed_note": closed_note},
            status=status,
        )
    )


@ratelimit(group="livelihood-track", rate=conf.rate_tracking, methods=("GET",))
def proposal_track(request: HttpRequest, token: str) -> HttpResponse:
    proposal = selectors.tracked_proposal(token)
    if proposal is None:
        raise Http404
    target = proposal.merged_into
    return _no_store(
        render(
            request,
            "livelihood_votes/cycles/public_track.html",
            {
                "proposal": proposal,
                "is_new": request.GET.get("new") == "1",
                "events": selectors.public_events(proposal),
                "target": target,
                "duplicate": proposal.status == ProposalStatus.MERGED
                and proposal.channel == ProposalChannel.CITIZEN
                and target is not None
                and proposal.mobile_hash == target.mobile_hash,
            },
        )
    )
