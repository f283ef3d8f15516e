"""Routes of the region boundaries (GeoJSON) and population figures the dashboard's map reads (docs/dashboard.md)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
