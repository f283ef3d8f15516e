"""API routes of topic selection from the data and a topic's linked sources."""

from django.urls import URLPattern, URLResolver, path

from supervision import source_api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "supervision/topic-ideas/",
        source_api.TopicIdeasAPIView.as_view(),
        name="supervision-topic-ideas",
    ),
    path(
        "supervision/topics/<int:pk>/sources/",
        source_api.TopicSourceListAPIView.as_view(),
        name="supervision-topic-sources",
    ),
    path(
        "supervision/topics/<int:pk>/sources/<int:source_id>/",
        source_api.TopicSourceDetailAPIView.as_view(),
        name="supervision-topic-source",
    ),
]
