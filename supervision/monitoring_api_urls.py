"""API routes of monitoring points and questionnaire responses."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
