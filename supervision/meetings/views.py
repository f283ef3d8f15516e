"""Pages of the standing-committee meetings (docs/supervision-meetings.md).

Staff: the list, a new meeting, its page (agenda, members and attendance, the steps),
an agenda item's page, and the inquiry's meeting mode (a quick form for each question as
it is asked, phone or laptop). A reporting body's clerk: the item's page, where the report
is sent. A member: the list of their meetings, the reports, the ballot.

Each view loads through a scoped selector (404 outside the scope), validates, calls one
service (through the action tables where the step is one) and responds; a refusal is
shown beside the form, with what was typed kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress.ballots.http import session_untouched
from congress.errors import DomainError
from congress.form_steps import submit
from congress.keyset import keyset_page
from congress.models import Congress, Department
from congress.scoping import (
    acting_user,
    get_visible_or_404,
    in_jurisdiction,
    is_staff_or_admin,
    region_scope_q,
    within_reach,
)
from congress.workflow import timeline
from supervision.meetings import actions, conf, selectors, services
from supervision.meetings.forms import (
    AgendaEditForm,
    AgendaItemForm,
    AnswerForm,
    AttendanceForm,
    MeetingForm,
    OpinionForm,
    QuestionForm,
    RatingBallotForm,
)
from supervision.meetings.workflow import MEETING_CASE
from supervision.models.meetings import (
    AgendaItem,
    EvaluationVote,
    ItemKind,
    Meeting,
    OpinionStatus,
    Question,
)
from supervision.models.topics import Topic


def _congresses(request: HttpRequest) -> Any:
    query = region_scope_q(request.user, "region__path")
    rows = Congress.objects.select_related("region").order_by("region__path")
    return rows if query is None else rows.filter(query)


def _managed_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_visible_or_404(selectors.visible_meetings(request.user), pk=pk)
    if not in_jurisdiction(request.user, meeting.region):
        raise Http404
    return meeting


def _managed_item(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_visible_or_404(selectors.visible_items(request.user), pk=pk)
    if not in_jurisdiction(request.user, item.region):
        raise Http404
    return item


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        selectors.visible_meetings(request.user), request.GET, ordering=("-held_on", "-pk")
    )
    return render(
        request,
        "supervision/meetings/meeting_list.html",
        {"page": page, "can_create": is_staff_or_admin(request.user)},
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not is_staff_or_admin(request.user):
        raise Http404
    form = MeetingForm(request.POST or None, congresses=_congresses(request))
    sent = submit(
        request, form, lambda data: services.meeting_schedule(by=acting_user(request), **data)
    )
    if sent.done:
        messages.success(request, _("会议已安排，请列入议程。"))
        return redirect(sent.result)
    return render(
        request, "supervision/meetings/meeting_form.html", {"form": form}, status=sent.status
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible_or_404(selectors.visible_meetings(request.user), pk=pk)
    items = list(
        selectors.visible_items(request.user).filter(meeting=meeting).order_by("position", "pk")
    )
    today = timezone.localdate()
    for item in items:
        item.stages = selectors.report_stages(item, today)  # type: ignore[attr-defined]
    manages = in_jurisdiction(request.user, meeting.region)
    members = list(meeting.members.select_related("user").order_by("user__username"))
    allowed = actions.meeting_allowed(request.user, meeting)
    context = {
        "meeting": meeting,
        "items": items,
        "manages": manages,
        "members": members,
        "present": sum(1 for m in members if m.attended),
        "meeting_actions": [(name, actions.MEETING_ACTIONS[name]) for name in allowed],
        "timeline": timeline(MEETING_CASE, meeting.pk) if manages else [],
        "draft_days": conf.draft_days_before(),
        "report_days": conf.report_days_before(),
        "members_days": conf.members_days_before(),
    }
    return render(request, "supervision/meetings/meeting_detail.html", context)


@login_required
@require_POST
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    try:
        step = actions.meeting_action(action)
        form = step.form(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写原因。"))
            return redirect(meeting)
        actions.take_meeting(action, meeting, form.cleaned_data, acting_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(step.label))
    return redirect(meeting)


def _member_choices(meeting: Meeting) -> list[tuple[int, str]]:
    return [
        (m.user_id, str(m.user))
        for m in meeting.members.select_related("user").order_by("user__username")
    ]


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    members = _member_choices(meeting)
    initial = {
        "present": [
            str(uid)
            for uid in meeting.members.filter(attended=True).values_list("user_id", flat=True)
        ]
    }
    form = AttendanceForm(request.POST or None, members=members, initial=initial)
    sent = submit(
        request,
        form,
        lambda data: services.meeting_attendance(
            meeting=meeting,
            present=[int(v) for v in data["present"]],
            by=acting_user(request),
        ),
    )
    if sent.done:
        messages.success(request, _("出席情况已登记。"))
        return redirect(meeting)
    return render(
        request,
        "supervision/meetings/attendance.html",
        {"meeting": meeting, "form": form},
        status=sent.status,
    )


@login_required
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    departments = Department.objects.filter(is_active=True).select_related("region")
    reachable = [d.pk for d in departments if within_reach(request.user, d.region)]
    form = AgendaItemForm(
        request.POST or None,
        departments=departments.filter(pk__in=reachable).order_by("region__path", "name"),
        topics=Topic.objects.filter(region=meeting.region).order_by("-pk"),
        earlier=AgendaItem.objects.filter(region=meeting.region, kind=ItemKind.REPORT)
        .exclude(meeting=meeting)
        .order_by("-pk"),
    )
    sent = submit(
        request,
        form,
        lambda data: services.agenda_add(meeting=meeting, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("已列入议程。"))
        return redirect(meeting)
    return render(
        request,
        "supervision/meetings/agenda_form.html",
        {"meeting": meeting, "form": form},
        status=sent.status,
    )


def _vote_of(item: AgendaItem) -> EvaluationVote | None:
    try:
        return item.vote
    except EvaluationVote.DoesNotExist:
        return None


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(selectors.visible_items(request.user), pk=pk)
    return _render_item(request, item)


def _ids(action: str) -> str:
    """Each step's form on the item's page has ids of its own (the draft's and the
    report's both have a 'text' field): a label names its own field."""
    return f"id_{action}_%s"


def _render_item(
    request: HttpRequest,
    item: AgendaItem,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    allowed = actions.item_allowed(request.user, item)
    steps = [
        (
            name,
            actions.ITEM_ACTIONS[name],
            (forms or {}).get(name) or actions.ITEM_ACTIONS[name].form(auto_id=_ids(name)),
        )
        for name in allowed
    ]
    vote = _vote_of(item)
    parties = selectors.item_parties(request.user, item)
    # The draft for comments is between the body and the committee's staff.
    reads_draft = parties.staff or parties.clerk
    context = {
        "item": item,
        "meeting": item.meeting,
        "steps": steps,
        "vote": vote,
        "parties": parties,
        "may_vote": vote is not None
        and vote.status == "open"
        and parties.member
        and not selectors.has_voted(request.user, vote),
        "questions": selectors.inquiry_questions(item),
        "may_answer": parties.staff,
        "opinions": selectors.visible_opinions(request.user).filter(item=item),
        "report_files": selectors.report_files(item),
        "stages": selectors.report_stages(item, timezone.localdate()),
        "reads_draft": reads_draft,
        "draft_files": selectors.draft_files(item) if reads_draft else [],
    }
    return render(request, "supervision/meetings/item_detail.html", context, status=status)


@login_required
@require_POST
def item_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = get_visible_or_404(selectors.visible_items(request.user), pk=pk)
    try:
        step = actions.item_action(action)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(item)
    form = step.form(request.POST, request.FILES, auto_id=_ids(action))
    if form.is_valid():
        try:
            actions.take_item(action, item, form.cleaned_data, acting_user(request))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, str(step.label))
            return redirect(item)
    item.refresh_from_db()
    return _render_item(request, item, forms={action: form}, status=400)


@never_cache
@session_untouched
@login_required
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's secret ballot (phone): one of three levels. The receipt is shown once,
    in this answer; nothing stores it beside the voter."""
    item = get_visible_or_404(selectors.visible_items(request.user), pk=pk)
    vote = _vote_of(item)
    if vote is None or not selectors.item_parties(request.user, item).member:
        raise Http404
    form = RatingBallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        marks = request.POST.getlist("mark")
        try:
            receipt = services.evaluation_cast(
                vote=vote,
                choices={item.pk: marks if len(marks) > 1 else marks[0]},
                by=acting_user(request),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return render(
                request, "supervision/meetings/receipt.html", {"item": item, "receipt": receipt}
            )
    return render(
        request,
        "supervision/meetings/ballot.html",
        {
            "item": item,
            "vote": vote,
            "form": form,
            "voted": selectors.has_voted(request.user, vote),
        },
        status=400 if form.errors else 200,
    )


@login_required
def inquiry_live(request: HttpRequest, pk: int) -> HttpResponse:
    """Meeting mode: staff record each question as it is asked (and its answer, and a
    follow-up's question); the form keeps its data on a refusal and clears on success,
    keeping the asker's and respondent's fields for the next follow-up."""
    item = _managed_item(request, pk)
    if item.kind != ItemKind.INQUIRY:
        raise Http404
    departments = Department.objects.filter(region=item.region, is_active=True).order_by("name")
    questions = Question.objects.filter(item=item)
    form = QuestionForm(
        request.POST or None,
        departments=departments,
        questions=questions,
        members=_member_choices(item.meeting),
    )
    sent = submit(
        request,
        form,
        lambda data: services.question_record(item=item, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("已记录。"))
        return redirect("supervision_inquiry_live", pk=item.pk)
    return render(
        request,
        "supervision/meetings/inquiry_live.html",
        {
            "item": item,
            "form": form,
            "questions": selectors.inquiry_questions(item),
            "may_answer": True,
        },
        status=sent.status,
    )


# --- review opinions (审议意见) -------------------------------------------------------------


@login_required
def opinion_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed_item(request, pk)
    departments = Department.objects.filter(region=item.region, is_active=True).order_by("name")
    form = OpinionForm(
        request.POST or None, departments=departments, initial={"department": item.department_id}
    )
    sent = submit(
        request,
        form,
        lambda data: services.opinion_draft(item=item, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("审议意见已起草。"))
        return redirect(sent.result)
    return render(
        request,
        "supervision/meetings/opinion_form.html",
        {"item": item, "form": form},
        status=sent.status,
    )


@login_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = get_visible_or_404(selectors.visible_opinions(request.user), pk=pk)
    return _render_opinion(request, opinion)


def _render_opinion(
    request: HttpRequest, opinion: Any, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    steps = [
        (
            name,
            actions.OPINION_ACTIONS[name],
            (forms or {}).get(name) or actions.OPINION_ACTIONS[name].form(),
        )
        for name in actions.opinion_allowed(request.user, opinion)
    ]
    return render(
        request,
        "supervision/meetings/opinion_detail.html",
        {
            "opinion": opinion,
            "steps": steps,
            "may_edit": opinion.status == OpinionStatus.DRAFT
            and in_jurisdiction(request.user, opinion.region),
        },
        status=status,
    )


@login_required
@require_POST
def opinion_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    opinion = get_visible_or_404(selectors.visible_opinions(request.user), pk=pk)
    try:
        step = actions.opinion_action(action)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(opinion)
    form = step.form(request.POST)
    if form.is_valid():
        try:
            actions.take_opinion(action, opinion, form.cleaned_data, acting_user(request))
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, str(step.label))
            return redirect(opinion)
    opinion.refresh_from_db()
    return _render_opinion(request, opinion, forms={action: form}, status=400)


# --- edits while still a draft ------------------------------------------------------------


@login_required
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改议程 (title, topic) while the meeting is still to be held: its staff."""
    item = _managed_item(request, pk)
    form = AgendaEditForm(
        request.POST or None,
        topics=Topic.objects.filter(region=item.region).order_by("-pk"),
        initial={"title": item.title, "topic": item.topic_id},
    )
    sent = submit(
        request,
        form,
        lambda data: services.agenda_update(item=item, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("议程已修改。"))
        return redirect(item)
    return render(
        request,
        "supervision/meetings/agenda_form.html",
        {"meeting": item.meeting, "item": item, "form": form},
        status=sent.status,
    )


@login_required
def opinion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改审议意见 while it is a draft: the staff of its region."""
    opinion = get_visible_or_404(selectors.visible_opinions(request.user), pk=pk)
    if not in_jurisdiction(request.user, opinion.region):
        raise Http404
    departments = Department.objects.filter(region=opinion.region, is_active=True).order_by("name")
    form = OpinionForm(
        request.POST or None,
        departments=departments,
        initial={"department": opinion.department_id, "text": opinion.text},
    )
    sent = submit(
        request,
        form,
        lambda data: services.opinion_update(opinion=opinion, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("审议意见已修改。"))
        return redirect(opinion)
    return render(
        request,
        "supervision/meetings/opinion_form.html",
        {"item": opinion.item, "opinion": opinion, "form": form},
        status=sent.status,
    )


@login_required
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer (and the per-answer mark) to a question recorded in meeting mode,
    written or corrected afterwards: the staff of the meeting's region."""
    question = get_visible_or_404(
        Question.objects.filter(item__in=selectors.visible_items(request.user)).select_related(
            "item"
        ),
        pk=pk,
    )
    if not in_jurisdiction(request.user, question.item.region):
        raise Http404
    form = AnswerForm(
        request.POST or None,
        initial={"answer": question.answer, "satisfaction": question.satisfaction},
    )
    sent = submit(
        request,
        form,
        lambda data: services.question_answer(question=question, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("回答已记录。"))
        return redirect(question.item)
    return render(
        request,
        "supervision/meetings/answer_form.html",
        {"question": question, "item": question.item, "form": form},
        status=sent.status,
    )
