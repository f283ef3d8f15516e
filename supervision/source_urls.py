"""Routes of topic selection from the data and a topic's linked sources (docs/supervision-sources.md)."""

from django.urls import URLPattern, URLResolver, path

from supervision import source_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("supervision/topic-ideas/", source_views.topic_ideas, name="supervision_topic_ideas"),
    path(
        "supervision/topic-ideas/new/",
        source_views.topic_from_idea,
        name="supervision_topic_from_idea",
    ),
    path(
        "supervision/topics/<int:pk>/sources/",
        source_views.topic_source_add,
        name="supervision_topic_source_add",
    ),
    path(
        "supervision/topics/<int:pk>/sources/<int:source_id>/remove/",
        source_views.topic_source_remove,
        name="supervision_topic_source_remove",
    ),
]
