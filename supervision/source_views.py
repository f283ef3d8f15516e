"""Pages of topic selection from the data (选题参考) and a topic's sources
(docs/supervision-sources.md). Staff only; a region sideways or above theirs, a
topic or a source outside their jurisdiction is a 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import topic_sources as registry
from congress.dashboard import breadcrumbs, drillable
from congress.form_steps import submit
from congress.scoping import acting_user, get_visible_or_404
from supervision import selectors, sources
from supervision.models.topics import Committee, TopicKind
from supervision.source_forms import IdeaTopicForm, SourceNumberForm
from supervision.sources import services as source_services
from supervision.views import form_page, staff_required

SPARK_WIDTH, SPARK_HEIGHT = 72, 24


def sparkline(trend: list[int]) -> str:
    """The points of an SVG polyline for a row's monthly trend (no script: the CSP)."""
    if not trend:
        return ""
    top = max(trend) or 1
    step = SPARK_WIDTH / max(len(trend) - 1, 1)
    return " ".join(
        f"{index * step:.1f},{SPARK_HEIGHT - 2 - (value / top) * (SPARK_HEIGHT - 4):.1f}"
        for index, value in enumerate(trend)
    )


def trend_arrow(trend: list[int]) -> str:
    """↑, ↓ or → comparing the last three months with the three before them."""
    if len(trend) < 6:
        return "→"
    recent, before = sum(trend[-3:]), sum(trend[-6:-3])
    return "↑" if recent > before else "↓" if recent < before else "→"


def _idea_url(scope: registry.IdeaScope, key: str) -> str:
    return (
        reverse("supervision_topic_from_idea")
        + "?"
        + urlencode({"region": scope.region.pk, "key": key})
    )


@staff_required
def topic_ideas(request: HttpRequest) -> HttpResponse:
    scope = sources.idea_scope(request.user, request.GET.get("region"))
    tables = sources.topic_ideas(scope)
    titles = {
        registry.CATEGORY: _("按类别"),
        registry.PLACE: _("按地区"),
        registry.DEPARTMENT: _("按承办单位"),
    }
    sections = [
        {
            "key": dimension,
            "title": titles[dimension],
            "rows": [
                {
                    "row": row,
                    "issues": row.counts.get("issues", 0),
                    "suggestions": row.counts.get("suggestions", 0),
                    "points": sparkline(row.trend),
                    "arrow": trend_arrow(row.trend),
                    "create": _idea_url(scope, row.key),
                    "drill": (
                        reverse("supervision_topic_ideas")
                        + "?"
                        + urlencode({"region": row.key.split(":")[1]})
                        if dimension == registry.PLACE
                        and any(
                            c.pk == int(row.key.split(":")[1]) and drillable(c)
                            for c in scope.children
                        )
                        else ""
                    ),
                }
                for row in rows
            ],
        }
        for dimension, rows in tables.items()
    ]
    context = {
        "scope": scope,
        "sections": sections,
        "months": [f"{month:%Y-%m}" for month in scope.months],
        "crumbs": breadcrumbs(request.user, scope.region),
        "spark_width": SPARK_WIDTH,
        "spark_height": SPARK_HEIGHT,
    }
    return render(request, "supervision/topic_ideas.html", context)


@staff_required
def topic_from_idea(request: HttpRequest) -> HttpResponse:
    """以此立题: the topic form prefilled from a cluster; saving links its cases."""
    scope = sources.idea_scope(request.user, request.GET.get("region"))
    key = request.GET.get("key", "")
    label = sources.cluster_label(scope, key)
    if not label:
        raise Http404
    dimension = key.split(":")[0]
    plans = sources.plans_for(request.user, scope.region)
    plan = sources.default_plan(plans)
    initial: dict[str, Any] = {
        "plan": plan,
        "kind": TopicKind.CAMPAIGN,
        "title": sources.suggested_title(scope, label, dimension),
        "description": _("选题依据：过去12个月%(region)s“%(label)s”的群众反映问题和代表建议。")
        % {"region": scope.region.name, "label": label},
    }
    if dimension == registry.DEPARTMENT:
        initial["departments"] = [int(key.split(":")[1])]
    form = IdeaTopicForm(
        request.POST or None,
        initial=initial,
        plans=plans,
        departments=selectors.departments_for_region(scope.region),
        committees=Committee.objects.filter(congress__in=plans.values("congress"), is_active=True),
    )

    def create(data: Any) -> Any:
        fields = dict(data)
        chosen = fields.pop("plan")
        return source_services.topic_create_from_cluster(
            scope=scope, key=key, plan=chosen, fields=fields, by=acting_user(request)
        )

    sent = submit(request, form, create)
    if sent.done:
        topic, linked = sent.result
        messages.success(request, _("议题已列入计划，关联来源 %(n)d 件。") % {"n": linked})
        return redirect(topic)
    context = {
        "form": form,
        "scope": scope,
        "label": label,
        "plans_exist": plan is not None,
        "limit": sources.CLUSTER_CASES,
        "back": reverse("supervision_topic_ideas") + "?" + urlencode({"region": scope.region.pk}),
    }
    return render(request, "supervision/topic_from_idea.html", context, status=sent.status)


@staff_required
def topic_source_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link one more case by its number; a refusal comes back beside the field with
    what was typed (status 400)."""
    topic = get_visible_or_404(selectors.visible_topics(request.user), pk=pk)
    form = SourceNumberForm(request.POST or None)
    sent = submit(
        request,
        form,
        lambda data: source_services.topic_source_link_number(
            topic=topic, number=data["number"], by=acting_user(request)
        ),
        field="number",
    )
    if sent.done:
        messages.success(request, _("已关联来源。"))
        return redirect(topic.get_absolute_url() + "#sources")
    back = topic.get_absolute_url() + "#sources"
    return form_page(request, form, sent.status, _("关联来源"), back, topic=topic)


@staff_required
@require_POST
def topic_source_remove(request: HttpRequest, pk: int, source_id: int) -> HttpResponse:
    topic = get_visible_or_404(selectors.visible_topics(request.user), pk=pk)
    source = get_visible_or_404(sources.visible_sources(request.user), pk=source_id, topic=topic)
    source_services.topic_source_unlink(source=source, by=acting_user(request))
    messages.success(request, _("已取消关联。"))
    return redirect(topic.get_absolute_url() + "#sources")
