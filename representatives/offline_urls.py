"""Routes of the representatives' offline pages (see representatives/offline.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
