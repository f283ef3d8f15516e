"""Routes of the monthly and yearly reports (docs/dashboard.md, "Reports")."""

from django.urls import URLPattern, URLResolver, path

from congress import report_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", report_views.report_index, name="report_index"),
    path(
        "reports/<int:region_id>/<int:year>-<int:month>/",
        report_views.report_month,
        name="report_month",
    ),
    path("reports/<int:region_id>/<int:year>/", report_views.report_year, name="report_year"),
    path(
        "reports/<int:region_id>/subscribe/",
        report_views.report_subscribe_view,
        name="report_subscribe",
    ),
    path(
        "reports/<int:region_id>/unsubscribe/",
        report_views.report_unsubscribe_view,
        name="report_unsubscribe",
    ),
]
