"""Topic selection from the data and a topic's linked sources (docs/supervision-sources.md).

``selectors`` holds the scoped reads, ``services`` every write; the names are
re-exported here so callers write ``from supervision import sources``.
"""

from supervision.sources.selectors import (
    CLUSTER_CASES,
    PAGE_SOURCES,
    SourceLine,
    cluster_label,
    default_plan,
    idea_scope,
    plans_for,
    source_lines,
    suggested_title,
    topic_ideas,
    topic_sources,
    visible_sources,
)
from supervision.sources.services import (
    topic_create_from_cluster,
    topic_source_link,
    topic_source_link_number,
    topic_source_unlink,
)

__all__ = [
    "CLUSTER_CASES",
    "PAGE_SOURCES",
    "SourceLine",
    "cluster_label",
    "default_plan",
    "idea_scope",
    "plans_for",
    "source_lines",
    "suggested_title",
    "topic_create_from_cluster",
    "topic_ideas",
    "topic_source_link",
    "topic_source_link_number",
    "topic_source_unlink",
    "topic_sources",
    "visible_sources",
]
