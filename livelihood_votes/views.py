"""Pages of the livelihood-project vote.

Staff (desktop): the list, a new vote, the vote's page (candidates while a draft, the
open/close/cancel buttons, the turnout while open), the roll call and, once closed, the
results. Representatives (phone): 我的票决, the ballot, the receipt (shown once, in the
answer to the ballot itself: it is stored nowhere that names the voter) and the
receipt check against the published ballot list. In a subdistrict's vote the voters
are its 议政会's voter delegates, on the same pages (docs/livelihood-subdistricts.md).

Each view loads through a scoped selector (404 outside the scope), validates, calls one
service and responds.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress.ballots.http import session_untouched
from congress.errors import DomainError
from congress.form_steps import post_step, submit
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin, visible_departments
from congress.workflow import timeline
from livelihood_votes import actions, selectors, services
from livelihood_votes.errors import ResultsNotPublished
from livelihood_votes.forms import (
    BallotPaperForm,
    CancelForm,
    CandidateForm,
    ElectorateSearchForm,
    PaperSheetForm,
    ReceiptSearchForm,
    SignInForm,
    VoteForm,
)
from livelihood_votes.models import BallotForm, LivelihoodVote, Mark, VoteStatus
from livelihood_votes.workflow import VOTE_CASE
from representatives.selectors import representative_of

V = VoteStatus
View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Congress staff (or administrators) only; anyone else gets a 404."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_or_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _managed_vote(request: HttpRequest, pk: int) -> LivelihoodVote:
    vote = get_visible_or_404(selectors.visible_votes(request.user), pk=pk)
    if not selectors.manages(request.user, vote):
        raise Http404
    return vote


def _voters(request: HttpRequest) -> list[selectors.Voter]:
    """Who this login votes as: its representative, its voter delegate, or both."""
    found = [representative_of(request.user), selectors.delegate_of(request.user)]
    voters = [voter for voter in found if voter is not None]
    if not voters:
        raise Http404
    return voters


def _voter(request: HttpRequest, vote: LivelihoodVote) -> selectors.Voter:
    """Who this login votes as in ``vote``; 404 for anyone not in its electorate."""
    voter = selectors.voter_of(request.user, vote)
    if voter is None or not selectors.is_elector(vote, voter):
        raise Http404
    return voter


# --- staff ------------------------------------------------------------------------------


@login_required
def vote_list(request: HttpRequest) -> HttpResponse:
    if not is_staff_or_admin(request.user):
        if selectors.is_voter_login(request.user):
            return redirect("my_livelihood_votes")
        raise Http404
    page = Paginator(selectors.vote_list(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "livelihood_votes/vote_list.html", {"page": page})


@staff_required
def vote_create(request: HttpRequest) -> HttpResponse:
    form = VoteForm(request.POST or None, congresses=selectors.congresses_managed(request.user))
    sent = submit(request, form, lambda data: services.vote_create(by=acting_user(request), **data))
    if sent.done:
        messages.success(request, _("票决已创建，请添加候选项目。"))
        return redirect(sent.result)
    return render(request, "livelihood_votes/vote_form.html", {"form": form}, status=sent.status)


@login_required
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_visible_or_404(selectors.visible_votes(request.user), pk=pk)
    manages = selectors.manages(request.user, vote)
    voter = selectors.voter_of(request.user, vote)
    context: dict[str, Any] = {
        "vote": vote,
        "candidates": list(selectors.vote_candidates(vote)),
        "manages": manages,
        "is_draft": vote.status == V.DRAFT,
        "is_open": vote.status == V.OPEN,
        "is_closed": vote.status == V.CLOSED,
        "low_high": services.conf.differential_range(vote.congress),
        "by_delegates": selectors.by_delegates(vote),
        "vote_region": selectors.vote_region(vote),
    }
    if manages:
        context["participants"] = selectors.participant_count(vote)
        context["paper"] = selectors.paper_counts(vote)
        context["events"] = timeline(VOTE_CASE, vote.pk)
        context["candidate_form"] = CandidateForm(
            departments=visible_departments(request.user).filter(is_active=True)
        )
        context["cancel_form"] = CancelForm()
        context["vote_actions"] = actions.allowed(request.user, vote)
    if voter is not None and selectors.is_elector(vote, voter):
        context["elector"] = True
        context["voted"] = selectors.has_voted(vote, voter)
        context["may_vote"] = vote.status == V.OPEN
    return render(request, "livelihood_votes/vote_detail.html", context)


@staff_required
@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _managed_vote(request, pk)
    post_step(
        request,
        CandidateForm(
            request.POST, departments=visible_departments(request.user).filter(is_active=True)
        ),
        lambda data: services.candidate_add(vote=vote, by=acting_user(request), **data),
        _("已添加候选项目。"),
    )
    return redirect(vote)


@staff_required
@require_POST
def candidate_remove(request: HttpRequest, pk: int, candidate_id: int) -> HttpResponse:
    vote = _managed_vote(request, pk)
    candidate = get_visible_or_404(vote.candidates.all(), pk=candidate_id)
    try:
        services.candidate_remove(candidate=candidate, by=acting_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已删除候选项目。"))
    return redirect(vote)


@staff_required
@require_POST
def vote_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    vote = _managed_vote(request, pk)
    if action not in actions.VOTE_ACTIONS:
        raise Http404  # a page address that names no step
    try:
        declared = actions.take(vote, action, acting_user(request), request.POST)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(declared.done))
    return redirect(vote)


@staff_required
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll call: who voted, by name. No times, no order of voting."""
    vote = _managed_vote(request, pk)
    rows = selectors.voters(vote)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    context = {"vote": vote, "page": page, "by_delegates": selectors.by_delegates(vote)}
    return render(request, "livelihood_votes/participants.html", context)


# --- staff, in the hall: 签到领票 and 双人录入 --------------------------------------------


@staff_required
def sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """现场签到: find a representative (a subdistrict's vote: a voter delegate) by name and
    hand them a paper ballot."""
    vote = _managed_vote(request, pk)
    electorate = selectors.electorate(vote)
    if request.method == "POST":
        form = SignInForm(request.POST, electorate=electorate)
        post_step(
            request,
            form,
            lambda data: services.participation_sign_in(
                vote=vote, voter=data["representative"], by=acting_user(request)
            ),
            _signed_in(form),
        )
        query = urlencode({"q": request.POST.get("q", "")[:50]})
        return redirect(f"{reverse('livelihood_vote_sign_in', args=[vote.pk])}?{query}")
    search = ElectorateSearchForm(request.GET or None)
    name = search.cleaned_data["q"].strip() if search.is_valid() else ""
    found = list(electorate.filter(name__contains=name)[:SEARCH_LIMIT]) if name else []
    context = {
        "vote": vote,
        "search": search,
        "name": name,
        "found": found,
        "more": len(found) == SEARCH_LIMIT,
        "counts": selectors.paper_counts(vote),
        "is_open": vote.status == V.OPEN,
        "by_delegates": selectors.by_delegates(vote),
    }
    return render(request, "livelihood_votes/sign_in.html", context)


SEARCH_LIMIT = 20


def _signed_in(form: SignInForm) -> str:
    """The hall's confirmation names whom to hand the paper ballot (shown only once the
    sign-in is taken, so only for a valid form)."""
    if not form.is_valid():
        return ""
    voter = form.cleaned_data["representative"]
    return _("%(name)s已签到，请发给纸质选票。") % {"name": voter.name}


SHEET_MESSAGES: dict[str, Promise] = {
    services.SHEET_WAITING: gettext_lazy("第%(sheet)s张选票已录入，等待另一位工作人员核对录入。"),
    services.SHEET_DIFFERS: gettext_lazy(
        "第%(sheet)s张选票的录入与他人不一致，已标记为有差异，请核对原票。"
    ),
    services.SHEET_COUNTED: gettext_lazy("第%(sheet)s张选票两次录入一致，已计入。"),
}


@staff_required
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """纸质选票录入: each sheet entered by two staff; the desk's progress below the form."""
    vote = _managed_vote(request, pk)
    candidates = list(selectors.vote_candidates(vote))
    progress = selectors.paper_progress(vote, request.user)
    form = PaperSheetForm(
        request.POST if request.method == "POST" else None,
        vote=vote,
        candidates=candidates,
        initial={"sheet": progress.next_sheet()},
    )
    sent = submit(
        request,
        form,
        lambda data: services.paper_sheet_enter(
            vote=vote, sheet=data["sheet"], choices=form.choices(), by=acting_user(request)
        ),
    )
    if sent.done:
        done = SHEET_MESSAGES[sent.result] % {"sheet": form.cleaned_data["sheet"]}
        (messages.success if sent.result == services.SHEET_COUNTED else messages.info)(
            request, done
        )
        return redirect("livelihood_vote_paper", pk=vote.pk)
    context: dict[str, Any] = {"vote": vote, "progress": progress, "is_open": vote.status == V.OPEN}
    context |= _ballot_page(vote, candidates, form)
    return render(request, "livelihood_votes/paper_entry.html", context, status=sent.status)


@login_required
def results(request: HttpRequest, pk: int, printable: bool = False) -> HttpResponse:
    vote = get_visible_or_404(selectors.visible_votes(request.user), pk=pk)
    try:
        tally = selectors.vote_tally(vote)
    except ResultsNotPublished as error:
        # The same answer for everyone, staff and administrators too: no counts yet.
        return render(
            request,
            "livelihood_votes/not_published.html",
            {"vote": vote, "message": error.message},
            status=error.status,
        )
    template = (
        "livelihood_votes/results_print.html" if printable else "livelihood_votes/results.html"
    )
    return render(
        request,
        template,
        {
            "vote": vote,
            "tally": tally,
            "manages": selectors.manages(request.user, vote),
            "runoff": selectors.live_runoff(vote) if tally.tied else None,
            # 计票单: the published list counted again, for the scrutineers to sign.
            "recount_agrees": selectors.recount_agrees(vote) if printable else None,
        },
    )


@login_required
def results_print(request: HttpRequest, pk: int) -> HttpResponse:
    return results(request, pk, printable=True)


@staff_required
@require_POST
def runoff_create(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _managed_vote(request, pk)
    try:
        runoff = services.vote_runoff_create(from_vote=vote, by=acting_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("livelihood_vote_results", pk=vote.pk)
    messages.success(request, _("已创建补充票决，请核对后开始投票。"))
    return redirect(runoff)


# --- representatives ----------------------------------------------------------------------


@login_required
def my_votes(request: HttpRequest) -> HttpResponse:
    """我的票决: a representative's, a voter delegate's (their subdistrict's), or both."""
    voters = _voters(request)
    open_votes = [vote for voter in voters for vote in selectors.open_votes_for(voter)]
    closed_votes = [vote for voter in voters for vote in selectors.recent_closed_for(voter)[:10]]
    return render(
        request,
        "livelihood_votes/my_votes.html",
        {"open_votes": open_votes, "closed_votes": closed_votes},
    )


@never_cache
@session_untouched
@login_required
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot, in two steps: the voter fills it in, then reviews the choices (核对)
    and confirms; only the confirming POST casts. With JavaScript the review is shown in
    the page; without it the server answers the first POST with the review page. On
    success the answer IS the receipt page: the receipt goes to the voter's screen once
    and is kept nowhere that names them (no session, no message). The choices travel in
    POST bodies only, never in a URL, which would put them in access logs."""
    vote = get_visible_or_404(selectors.visible_votes(request.user), pk=pk)
    voter = _voter(request, vote)
    context: dict[str, Any] = {"vote": vote}
    if vote.status != V.OPEN or selectors.has_voted(vote, voter):
        context["voted"] = selectors.has_voted(vote, voter)
        refused = 409 if request.method == "POST" else 200  # a second submit is refused
        return render(request, "livelihood_votes/ballot_closed.html", context, status=refused)
    candidates = list(selectors.vote_candidates(vote))
    form = BallotPaperForm(request.POST or None, vote=vote, candidates=candidates)
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        try:
            if "confirm" not in request.POST:
                services.validated_marks(vote, form.choices())
                return _ballot_review(request, vote, candidates, form.choices())
            receipt = services.ballot_cast(
                vote=vote, voter=voter, choices=form.choices(), by=acting_user(request)
            )
        except DomainError as error:
            context["error"] = error.message
            if error.code == "already_voted":
                context["voted"] = True
                return render(request, "livelihood_votes/ballot_closed.html", context, status=409)
            context |= _ballot_page(vote, candidates, form)
            return render(request, "livelihood_votes/ballot.html", context, status=error.status)
        return render(request, "livelihood_votes/receipt.html", {"vote": vote, "receipt": receipt})
    context |= _ballot_page(vote, candidates, form)
    return render(
        request, "livelihood_votes/ballot.html", context, status=400 if form.errors else 200
    )


def _ballot_page(
    vote: LivelihoodVote, candidates: list[Any], form: BallotPaperForm
) -> dict[str, Any]:
    """The ballot's rows, with what the voter had marked when the page comes back, and
    the plain-words problem for every number of ticks (or of unmarked projects), which
    the page's script shows as the voter goes."""
    data = form.data
    picked = set(data.getlist("selected")) if hasattr(data, "getlist") else set()
    rows = [
        {"candidate": c, "picked": str(c.pk) in picked, "mark": data.get(f"c{c.pk}", "")}
        for c in candidates
    ]
    select = vote.ballot_form != BallotForm.PER_CANDIDATE
    problems = {
        n: services.ballot_problem(vote, approvals=n, unmarked=0)
        if select
        else services.ballot_problem(vote, approvals=0, unmarked=n)
        for n in range(len(candidates) + 1)
    }
    return {
        "form": form,
        "rows": rows,
        "select": select,
        "exactly": vote.ballot_form == BallotForm.EXACTLY_N,
        "marks": Mark.choices,
        "problems": problems,
    }


def _ballot_review(
    request: HttpRequest, vote: LivelihoodVote, candidates: list[Any], choices: dict[int, str]
) -> HttpResponse:
    """核对选票: the choices as they will be cast, and the same choices as hidden fields
    for 确认投票 (which casts) and 返回修改 (which brings the ballot back as it was)."""
    labels = dict(Mark.choices)
    rows = [
        {"number": n, "candidate": c, "mark": choices[c.pk], "label": labels[choices[c.pk]]}
        for n, c in enumerate(candidates, start=1)
        if c.pk in choices
    ]
    select = vote.ballot_form != BallotForm.PER_CANDIDATE
    hidden = [
        ("selected", row["candidate"].pk) if select else (f"c{row['candidate'].pk}", row["mark"])
        for row in rows
    ]
    return render(
        request,
        "livelihood_votes/ballot_review.html",
        {"vote": vote, "rows": rows, "select": select, "hidden": hidden},
    )


@login_required
def ballots(request: HttpRequest, pk: int) -> HttpResponse:
    """核对回执: the published ballot list of a closed vote, searchable by receipt."""
    vote = get_visible_or_404(selectors.visible_votes(request.user), pk=pk)
    if vote.status != V.CLOSED:
        error = ResultsNotPublished()
        return render(
            request,
            "livelihood_votes/not_published.html",
            {"vote": vote, "message": error.message},
            status=error.status,
        )
    form = ReceiptSearchForm(request.GET or None)
    rows = selectors.visible_ballots(request.user).filter(box=vote.box_id)
    searched = ""
    found = None
    choices: list[tuple[str, str]] = []
    if form.is_valid() and form.cleaned_data["receipt"]:
        searched = services.normalise_receipt(form.cleaned_data["receipt"])
        found = rows.filter(receipt=searched).first()
        if found is not None:
            choices = selectors.ballot_choices(vote, found)
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    return render(
        request,
        "livelihood_votes/ballots.html",
        {
            "vote": vote,
            "form": form,
            "page": page,
            "searched": searched,
            "found": found,
            "choices": choices,
            "querystring": urlencode({"receipt": searched}) if searched else "",
        },
    )
