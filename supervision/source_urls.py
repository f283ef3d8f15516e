"""Routes of topic selection from the data and a topic's linked sources (docs/supervision-sources.md)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
