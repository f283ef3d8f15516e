"""The livelihood year's cycle routes under /api/v1/ (included by congress/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
