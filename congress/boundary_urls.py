"""Routes of the region boundaries (GeoJSON) and population figures the dashboard's map reads (docs/dashboard.md)."""

from django.urls import URLPattern, URLResolver, path

from congress import boundary_views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "regions/<int:pk>/boundaries/",
        boundary_views.region_boundaries,
        name="region_boundaries",
    ),
    path(
        "regions/<int:pk>/boundaries.geojson",
        boundary_views.region_boundaries_geojson,
        name="region_boundaries_geojson",
    ),
]
