"""Pages of monitoring points and their QR questionnaires (docs/supervision-monitoring.md).

Staff pages load the topic through ``selectors.visible_topics`` and a point, a question or
an answer through the scoped reads of ``supervision.monitoring`` (404 outside the scope),
validate, call one service and respond; a refusal comes back beside the form with what
was typed (400).

The public page ``/m/<token>/`` (no account, phone first) shows the topic's questions at
the point the QR code names: CSRF, the core's rate limits per address (in Redis), an
idempotency key against a double tap, a honeypot, and nothing that identifies who
answered. A closed topic or an inactive point shows a friendly "closed" page.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError
from congress.form_steps import submit
from congress.keyset import keyset_page
from congress.ratelimit import is_limited, ratelimit, too_many_requests
from congress.scoping import acting_user, get_visible_or_404
from supervision import monitoring as m
from supervision import monitoring_forms as f
from supervision import selectors
from supervision.models.monitoring import MonitoringPoint, PointKind, SurveyQuestion
from supervision.models.topics import Topic
from supervision.monitoring_exports import results_workbook
from supervision.views import form_page, staff_required


def _topic(request: HttpRequest, pk: int) -> Topic:
    return get_visible_or_404(selectors.visible_topics(request.user), pk=pk)


def _point(request: HttpRequest, pk: int) -> MonitoringPoint:
    return get_visible_or_404(m.visible_points(request.user), pk=pk)


def _question(request: HttpRequest, pk: int) -> SurveyQuestion:
    return get_visible_or_404(m.visible_questions(request.user), pk=pk)


def _public_url(point: MonitoringPoint) -> str:
    """The link a point's QR code carries: the public SITE_URL, never the request's host
    (staff print from an intranet address citizens' phones cannot reach)."""
    return f"{settings.SITE_URL}{reverse('monitoring_public', args=[point.token])}"


# --- points -------------------------------------------------------------------------------


@staff_required
def point_list(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    page = keyset_page(m.topic_points(topic), request.GET, ordering=m.POINT_ORDER)
    counts = m.point_counts(topic)
    questionnaire = m.questionnaire_of(topic)
    shares = m.satisfaction_by(questionnaire, "point", [point.pk for point in page])
    context = {
        "topic": topic,
        "page": page,
        "rows": [(point, shares.get(str(point.pk))) for point in page],
        "counts": [(label, counts[kind]) for kind, label in PointKind.choices],
        "questionnaire": questionnaire,
        "is_open": topic.status in m.OPEN_TOPIC,
    }
    return render(request, "supervision/monitoring/points.html", context)


def _point_form(request: HttpRequest, topic: Topic) -> f.PointForm:
    return f.PointForm(
        request.POST or None,
        regions=m.regions_for(topic),
        representatives=m.representatives_for(topic),
    )


@staff_required
def point_create(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    form = _point_form(request, topic)
    sent = submit(
        request, form, lambda data: m.point_create(topic=topic, by=acting_user(request), **data)
    )
    if sent.done:
        messages.success(request, _("监测点已添加。"))
        if "another" in request.POST:
            return redirect("monitoring_point_create", pk=topic.pk)
        return redirect("monitoring_points", pk=topic.pk)
    back = reverse("monitoring_points", args=[topic.pk])
    return form_page(request, form, sent.status, _("添加监测点"), back, topic=topic, another=True)


@staff_required
def points_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    form = f.PointsBulkForm(request.POST or None)
    sent = submit(
        request,
        form,
        lambda data: m.points_bulk_create(topic=topic, text=data["lines"], by=acting_user(request)),
        field="lines",
    )
    if sent.done:
        messages.success(request, _("已添加%(n)d个监测点。") % {"n": len(sent.result)})
        return redirect("monitoring_points", pk=topic.pk)
    back = reverse("monitoring_points", args=[topic.pk])
    return form_page(request, form, sent.status, _("批量添加监测点"), back, topic=topic)


@staff_required
@require_POST
def point_active(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    try:
        m.point_set_active(
            point=point, active=request.POST.get("active") == "1", by=acting_user(request)
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("监测点已启用。") if point.is_active else _("监测点已停用。"))
    return redirect("monitoring_points", pk=point.topic_id)


def _qr(url: str, fmt: str, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    code = segno.make(url, error="m", micro=False)
    if fmt == "svg":
        code.save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
        return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    if fmt != "png":
        raise Http404
    code.save(buffer, kind="png", scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{name}.png"'
    return response


@staff_required
def point_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """One point's QR code (SVG to show, PNG to download for a poster)."""
    point = _point(request, pk)
    return _qr(_public_url(point), fmt, f"qr-point-{point.pk}")


@staff_required
def qr_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable sheet of the topic's active points, each with its QR code inlined
    (one query for the points; a topic has tens to a few hundred)."""
    topic = _topic(request, pk)
    kind = request.GET.get("kind", "")
    points = m.topic_points(topic).filter(is_active=True).order_by("kind", "pk")
    if kind in PointKind.values:
        points = points.filter(kind=kind)
    cards = [
        (
            point,
            segno.make(_public_url(point), error="m", micro=False).svg_data_uri(scale=4, border=2),
        )
        for point in points
    ]
    context = {"topic": topic, "cards": cards, "kinds": PointKind.choices, "kind": kind}
    return render(request, "supervision/monitoring/qr_sheet.html", context)


# --- the questionnaire --------------------------------------------------------------------


@staff_required
def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    """The topic's questions: add, edit, reorder, remove until the first answer."""
    topic = _topic(request, pk)
    found = m.questionnaire_of(topic)
    question_form = f.QuestionForm(
        request.POST if request.method == "POST" and "intro_form" not in request.POST else None
    )
    intro_form = f.IntroForm(
        request.POST if request.method == "POST" and "intro_form" in request.POST else None,
        initial={"intro": found.intro if found else ""},
    )
    service = m.questionnaire_set_intro if "intro_form" in request.POST else m.question_add
    sent = submit(
        request,
        intro_form if "intro_form" in request.POST else question_form,
        lambda data: service(topic=topic, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("问卷已保存。"))
        return redirect("monitoring_questionnaire", pk=topic.pk)
    context = {
        "topic": topic,
        "questionnaire": found,
        "questions": m.questions_of(found),
        "question_form": question_form,
        "intro_form": intro_form,
    }
    return render(request, "supervision/monitoring/questionnaire.html", context, status=sent.status)


@staff_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    topic = question.questionnaire.topic
    form = f.QuestionForm(
        request.POST or None,
        initial={
            "kind": question.kind,
            "text": question.text,
            "options": question.options,
            "required": question.required,
        },
    )
    sent = submit(
        request,
        form,
        lambda data: m.question_update(question=question, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("问卷已保存。"))
        return redirect("monitoring_questionnaire", pk=topic.pk)
    back = reverse("monitoring_questionnaire", args=[topic.pk])
    return form_page(request, form, sent.status, _("修改题目"), back, topic=topic)


@staff_required
@require_POST
def question_change(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    topic_id = question.questionnaire.topic_id
    try:
        if request.POST.get("move") in ("up", "down"):
            m.question_move(
                question=question, up=request.POST["move"] == "up", by=acting_user(request)
            )
        elif request.POST.get("remove") == "1":
            m.question_remove(question=question, by=acting_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("monitoring_questionnaire", pk=topic_id)


# --- results ------------------------------------------------------------------------------


@staff_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    found = m.questionnaire_of(topic)
    by_kind = m.satisfaction_by(found, "point__kind")
    context = {
        "topic": topic,
        "questionnaire": found,
        "results": m.question_results(found),
        "by_kind": [(label, by_kind[kind]) for kind, label in PointKind.choices if kind in by_kind],
    }
    return render(request, "supervision/monitoring/results.html", context)


@staff_required
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The aggregated results as Excel: counts and shares per option, answers per point
    kind; never a free text (it may name someone) nor anything about who answered."""
    topic = _topic(request, pk)
    response = HttpResponse(
        results_workbook(topic),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="monitoring-{topic.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def texts(request: HttpRequest, pk: int) -> HttpResponse:
    """The free-text answers, newest first (keyset pages)."""
    topic = _topic(request, pk)
    found = m.questionnaire_of(topic)
    page = keyset_page(
        m.text_answers(found) if found else m.SurveyAnswer.objects.none(),
        request.GET,
        ordering=m.TEXT_ORDER,
    )
    return render(request, "supervision/monitoring/texts.html", {"topic": topic, "page": page})


@staff_required
def answer_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """列入问题清单: a free-text answer becomes a finding of the topic."""
    answer = get_visible_or_404(m.visible_answers(request.user), pk=pk)
    topic = answer.questionnaire.topic
    form = f.AnswerFindingForm(
        request.POST or None,
        initial={"title": answer.text[:300]},
        departments=selectors.departments_for(topic),
        categories=topic.categories.all(),
    )
    sent = submit(
        request,
        form,
        lambda data: m.answer_to_finding(answer=answer, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("已列入问题清单并交办。"))
        return redirect(sent.result)
    context = {
        "form": form,
        "answer": answer,
        "topic": topic,
        "title": _("列入问题清单"),
        "back": reverse("monitoring_texts", args=[topic.pk]),
    }
    return render(
        request, "supervision/monitoring/answer_finding.html", context, status=sent.status
    )


# --- the public questionnaire (no account) ------------------------------------------------


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _public(token: str) -> MonitoringPoint:
    point = m.public_point(token)
    if point is None:
        raise Http404
    return point


def _public_page(
    request: HttpRequest,
    point: MonitoringPoint,
    *,
    values: dict[int, str] | None = None,
    errors: dict[int, str] | None = None,
    message: str = "",
    key: str = "",
    status: int = 200,
) -> HttpResponse:
    topic = point.topic
    found = m.questionnaire_of(topic) if m.is_open(point) else None
    questions = m.questions_of(found)
    if found is None or not questions:
        return _no_store(
            render(
                request,
                "supervision/monitoring/public_closed.html",
                {"point": point, "topic": topic, "public_region": topic.region},
            )
        )
    values = values or {}
    errors = errors or {}
    rows: list[dict[str, Any]] = [
        {
            "question": question,
            "name": f"q{question.pk}",
            "value": values.get(question.pk, ""),
            "error": errors.get(question.pk, ""),
            "options": [(str(n), label) for n, label in enumerate(question.option_labels)],
        }
        for question in questions
    ]
    context = {
        "point": point,
        "topic": topic,
        "questionnaire": found,
        "rows": rows,
        "message": message,
        "key": key or str(uuid.uuid4()),
        "public_region": topic.region,
    }
    return _no_store(render(request, "supervision/monitoring/public.html", context, status=status))


@ratelimit(group="monitoring-page", rate=m.page_rate, methods=("GET",))
def public(request: HttpRequest, token: str) -> HttpResponse:
    point = _public(token)
    if request.method != "POST":
        return _public_page(request, point)
    key = request.POST.get("idempotency_key", "")
    # A retry of a stored answer (a double tap, a resend on a weak network) goes to the
    # thanks page and costs nothing: it is looked up before the limit.
    if m.stored_response(key) is not None:
        return redirect("monitoring_thanks", token=point.token)
    if is_limited(request, group="monitoring-answer", rate=m.answer_rate()):
        return too_many_requests(request)
    if request.POST.get("website"):
        return redirect("monitoring_thanks", token=point.token)  # a robot: nothing stored
    questions = m.questions_of(m.questionnaire_of(point.topic))
    values = {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions}
    try:
        parsed = uuid.UUID(key)
    except ValueError:
        parsed = uuid.uuid4()
        key = str(parsed)
    try:
        m.response_submit(point=point, raw=values, idempotency_key=parsed)
    except m.AnswersInvalid as error:
        return _public_page(
            request,
            point,
            values=values,
            errors=error.errors,
            message=str(error.message),
            key=key,
            status=400,
        )
    except DomainError as error:
        return _public_page(
            request, point, values=values, message=str(error.message), key=key, status=400
        )
    return redirect("monitoring_thanks", token=point.token)


@ratelimit(group="monitoring-page", rate=m.page_rate, methods=("GET",))
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    point = _public(token)
    return _no_store(
        render(
            request,
            "supervision/monitoring/public_thanks.html",
            {"point": point, "topic": point.topic, "public_region": point.topic.region},
        )
    )
