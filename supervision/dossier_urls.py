"""Routes of a topic's printable dossier (HTML, PDF, Excel) (docs/supervision.md)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
