"""Routes of a topic's printable dossier (HTML, PDF, Excel) (docs/supervision.md)."""

from django.urls import URLPattern, URLResolver, path

from supervision import dossier_views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "supervision/topics/<int:pk>/dossier/",
        dossier_views.topic_dossier_view,
        name="supervision_topic_dossier",
    ),
]
