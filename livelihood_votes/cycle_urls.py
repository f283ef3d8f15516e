"""Routes of the livelihood year's cycles (livelihood_votes/cycles/views.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
