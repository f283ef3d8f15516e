"""Routes of the representatives' signin pages (see representatives/signin.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
