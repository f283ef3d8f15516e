"""Routes of a campaign's monitoring points and their public QR questionnaires (docs/supervision-monitoring.md)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
