"""The 来源 section of a topic's page (docs/supervision-sources.md): the topic's page is
shared, so it includes ``supervision/_topic_sources.html``, which asks this tag for
its rows (two queries: the count and the newest sources)."""

from __future__ import annotations

from typing import Any

from django import template

from supervision import sources
from supervision.models.topics import Topic
from supervision.source_forms import SourceNumberForm

register = template.Library()


@register.inclusion_tag("supervision/_topic_sources_panel.html")
def topic_sources_panel(topic: Topic) -> dict[str, Any]:
    rows = sources.topic_sources(topic)
    lines = sources.source_lines(rows[: sources.PAGE_SOURCES])
    count = rows.count() if len(lines) == sources.PAGE_SOURCES else len(lines)
    return {
        "topic": topic,
        "lines": lines,
        "count": count,
        "more": count > len(lines),
        "form": SourceNumberForm(),
    }
