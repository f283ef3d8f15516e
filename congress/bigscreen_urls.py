"""Routes of the big screen (数据大屏, docs/dashboard.md, "Big screen")."""

from django.urls import URLPattern, URLResolver, path

from congress import bigscreen_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("bigscreen/", views.bigscreen, name="bigscreen"),
    path("bigscreen/data/", views.bigscreen_json, name="bigscreen_data"),
    path("bigscreen/links/", views.bigscreen_links, name="bigscreen_links"),
    path(
        "bigscreen/links/<int:pk>/revoke/",
        views.bigscreen_link_revoke_view,
        name="bigscreen_link_revoke",
    ),
    path("bigscreen/s/<str:token>/", views.bigscreen_shared, name="bigscreen_shared"),
    path(
        "bigscreen/s/<str:token>/data/", views.bigscreen_shared_json, name="bigscreen_shared_data"
    ),
    path(
        "api/v1/bigscreen/<int:region_id>/", views.BigScreenAPIView.as_view(), name="api-bigscreen"
    ),
]
