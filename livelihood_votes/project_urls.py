"""Routes of the livelihood year's projects (livelihood_votes/projects/views.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
