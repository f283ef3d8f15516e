"""Routes of the livelihood year's ratings (livelihood_votes/ratings/views.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
