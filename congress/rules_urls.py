"""Routes of the rules per congress (congress/rules_views.py)."""

from django.urls import URLPattern, URLResolver, path

from congress import rules_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("rules/", rules_views.congress_rules_list, name="congress_rules_list"),
    path("rules/<int:pk>/", rules_views.congress_rules_detail, name="congress_rules_detail"),
]
