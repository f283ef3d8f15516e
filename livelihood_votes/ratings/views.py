"""Pages of the year-end rating: the staff page of a cycle's rating (its steps from the
actions table, the hall's sign-in and paper entry, the rectifications), the voter's
phone ballot, the results, the public results (no voter data), the year's report
(HTML, PDF, Excel) and a rectification's page.

Transport only: each view loads through a selector (404 outside the scope), validates,
calls one service and answers; a refusal is shown beside the form, with what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress.ballots.http import session_untouched
from congress.ballots.services import SHEET_COUNTED, SHEET_DIFFERS
from congress.errors import DomainError
from congress.form_steps import submit
from congress.loop import visible_assignments
from congress.ratelimit import ratelimit
from congress.reports import pdf_available, report_pdf, report_workbook
from congress.scoping import acting_user, get_visible_or_404
from congress.workflow import timeline
from livelihood_votes.models import Cycle
from livelihood_votes.models.ratings import RatingRound, RatingStatus
from livelihood_votes.ratings import actions, conf, selectors, services
from livelihood_votes.ratings.forms import PaperSheetForm, RatingBallotForm, SignInForm
from livelihood_votes.ratings.report import year_report
from livelihood_votes.ratings.workflow import RATING_CASE, RECTIFY_CASE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    return get_visible_or_404(selectors.rating_cycles(request.user), pk=pk)


def _managed_round(request: HttpRequest, pk: int) -> RatingRound:
    rating = get_visible_or_404(selectors.visible_ratings(request.user), pk=pk)
    if not selectors.manages(request.user, rating.cycle):
        raise Http404
    return rating


# --- staff -------------------------------------------------------------------------------


def _manage_page(
    request: HttpRequest,
    cycle: Cycle,
    *,
    error: str = "",
    status: int = 200,
    sign_in_form: SignInForm | None = None,
    paper_form: PaperSheetForm | None = None,
) -> HttpResponse:
    rating = actions.round_of(cycle)
    projects = list(selectors.rated_projects(cycle))
    context: dict[str, Any] = {
        "cycle": cycle,
        "rating": rating,
        "projects": projects,
        "error": error,
        "actions": [
            (name, actions.RATING_ACTIONS[name])
            for name in actions.allowed(request.user, cycle, rating)
        ],
        "rule": rating.outcome_rule if rating else conf.outcome_rule(),
    }
    if rating is not None:
        context["figures"] = selectors.round_figures(rating)
        context["results"] = list(selectors.rating_results(rating))
        context["rectifications"] = list(
            rating.rectifications.select_related("project", "department", "carried_into__cycle")
        )
        context["timeline"] = timeline(RATING_CASE, rating.pk)
        if rating.status == RatingStatus.OPEN:
            context["participants"] = selectors.participants(rating)
            context["handed_out"] = selectors.paper_handed_out(rating)
            context["sign_in_form"] = sign_in_form or SignInForm(
                electorate=selectors.electorate_names(rating)
            )
            context["paper_form"] = paper_form or PaperSheetForm(projects=projects)
    return render(request, "livelihood_votes/ratings/manage.html", context, status=status)


@login_required
def rating_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle's year-end rating, for the staff who run it."""
    return _manage_page(request, _cycle(request, pk))


@login_required
@require_POST
def rating_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the actions table (开始, 结束并计票, 公布)."""
    cycle = _cycle(request, pk)
    try:
        declared = actions.take(cycle, action, acting_user(request), request.POST)
    except DomainError as error:
        return _manage_page(request, cycle, error=str(error.message), status=error.status)
    messages.success(request, str(declared.done))
    return redirect("livelihood_rating_manage", pk=cycle.pk)


@login_required
@require_POST
def rating_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """签到领票 in the hall."""
    rating = _managed_round(request, pk)
    form = SignInForm(request.POST, electorate=selectors.electorate_names(rating))
    sent = submit(
        request,
        form,
        lambda data: services.rating_sign_in(
            rating=rating, voter=data["voter"], by=acting_user(request)
        ),
    )
    if sent.done:
        messages.success(request, _("已签到，请发给纸质测评表。"))
        return redirect("livelihood_rating_manage", pk=rating.cycle_id)
    return _manage_page(request, rating.cycle, status=sent.status, sign_in_form=form)


@login_required
@require_POST
def rating_paper(request: HttpRequest, pk: int) -> HttpResponse:
    """双人录入 of one paper sheet."""
    rating = _managed_round(request, pk)
    form = PaperSheetForm(request.POST, projects=list(selectors.rated_projects(rating.cycle)))
    sent = submit(
        request,
        form,
        lambda data: services.rating_paper_enter(
            rating=rating, sheet=data["sheet"], choices=form.choices(), by=acting_user(request)
        ),
    )
    if not sent.done:
        return _manage_page(request, rating.cycle, status=sent.status, paper_form=form)
    if sent.result == SHEET_COUNTED:
        messages.success(request, _("两次录入一致，该测评表已计入。"))
    elif sent.result == SHEET_DIFFERS:
        messages.warning(request, _("与另一次录入不一致，请第三位工作人员核对纸质测评表后再录入。"))
    else:
        messages.info(request, _("已录入，须由另一位工作人员再录入一次核对。"))
    return redirect("livelihood_rating_manage", pk=rating.cycle_id)


@login_required
def year_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's report: the page (printable), ``?format=pdf`` or ``?format=xlsx``."""
    cycle = _cycle(request, pk)
    report = year_report(cycle)
    wanted = request.GET.get("format", "")
    if wanted == "xlsx":
        response = HttpResponse(report_workbook(report), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{report.slug}.xlsx"'
        return response
    context = {"report": report, "cycle": cycle, "pdf_available": pdf_available()}
    if wanted == "pdf" and context["pdf_available"]:
        html = render_to_string(
            "livelihood_votes/ratings/year_report.html", {**context, "as_pdf": True}
        )
        response = HttpResponse(report_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.slug}.pdf"'
        return response
    return render(request, "livelihood_votes/ratings/year_report.html", context)


# --- voters ------------------------------------------------------------------------------


@login_required
def my_ratings(request: HttpRequest) -> HttpResponse:
    """The open ratings the signed-in voter is in (their phone's list)."""
    rounds = [
        (rating, selectors.has_rated(rating, request.user))
        for rating in selectors.open_ratings_for(request.user)[:20]
    ]
    return render(request, "livelihood_votes/ratings/mine.html", {"rounds": rounds})


@never_cache
@session_untouched
@login_required
def rating_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The voter's secret ballot on the phone: one level per project. On success the
    answer IS the receipt page: the receipt goes to the voter's screen once and is kept
    nowhere that names them. Someone not in the frozen electorate: a 404 (they do not
    see the round), or, in the API, a clear refusal."""
    rating = get_visible_or_404(selectors.visible_ratings(request.user), pk=pk)
    if not selectors.is_elector(rating, request.user):
        raise Http404
    projects = list(selectors.rated_projects(rating.cycle))
    context: dict[str, Any] = {"rating": rating}
    if rating.status != RatingStatus.OPEN or selectors.has_rated(rating, request.user):
        context["voted"] = selectors.has_rated(rating, request.user)
        status = 409 if request.method == "POST" else 200
        return render(
            request, "livelihood_votes/ratings/ballot_closed.html", context, status=status
        )
    form = RatingBallotForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.rating_cast(
                rating=rating, choices=form.choices(), by=acting_user(request)
            )
        except DomainError as error:
            if error.code == "already_voted":
                context["voted"] = True
                return render(
                    request, "livelihood_votes/ratings/ballot_closed.html", context, status=409
                )
            form.add_error(None, str(error.message))
        else:
            return render(
                request,
                "livelihood_votes/ratings/receipt.html",
                {"rating": rating, "receipt": receipt},
            )
    context["form"] = form
    return render(
        request,
        "livelihood_votes/ratings/ballot.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
def rating_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The counted result, for the staff and the electorate (409 while open)."""
    rating = get_visible_or_404(selectors.visible_ratings(request.user), pk=pk)
    return _results(request, rating, public=False)


def _results(request: HttpRequest, rating: RatingRound, *, public: bool) -> HttpResponse:
    figures = selectors.round_figures(rating)
    if figures is None:
        return render(
            request,
            "livelihood_votes/ratings/not_counted.html",
            {"rating": rating},
            status=409,
        )
    return render(
        request,
        "livelihood_votes/ratings/results.html",
        {
            "rating": rating,
            "figures": figures,
            "results": selectors.rating_results(rating),
            "public": public,
            "manages": not public and selectors.manages(request.user, rating.cycle),
        },
    )


@ratelimit(group="livelihood-rating-public", rate=conf.public_rate, methods=("GET",))
def rating_public(request: HttpRequest, pk: int) -> HttpResponse:
    """The published result for everyone: projects, counts and decisions, no voter."""
    rating = get_visible_or_404(selectors.published_ratings(), pk=pk)
    return _results(request, rating, public=True)


# --- the rectification -------------------------------------------------------------------


@login_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """整改: the project, its result, the department's loop item (its steps are taken on
    the engine's assignment page) and the project's row in the next year."""
    rectification = get_visible_or_404(selectors.visible_rectifications(request.user), pk=pk)
    steps = visible_assignments(request.user).filter(
        case_type=RECTIFY_CASE, case_id=rectification.pk
    )
    return render(
        request,
        "livelihood_votes/ratings/rectification.html",
        {
            "rectification": rectification,
            "steps": list(steps.select_related("department")),
            "timeline": timeline(RECTIFY_CASE, rectification.pk),
        },
    )
