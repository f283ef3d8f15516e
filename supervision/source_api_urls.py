"""API routes of topic selection from the data and a topic's linked sources."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
