"""Routes of a campaign's monitoring points and their public QR questionnaires (docs/supervision-monitoring.md)."""

from django.urls import URLPattern, URLResolver, path

from supervision import monitoring_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "supervision/topics/<int:pk>/monitoring/",
        views.point_list,
        name="monitoring_points",
    ),
    path(
        "supervision/topics/<int:pk>/monitoring/points/new/",
        views.point_create,
        name="monitoring_point_create",
    ),
    path(
        "supervision/topics/<int:pk>/monitoring/points/bulk/",
        views.points_bulk,
        name="monitoring_points_bulk",
    ),
    path(
        "supervision/topics/<int:pk>/monitoring/qr/",
        views.qr_sheet,
        name="monitoring_qr_sheet",
    ),
    path(
        "supervision/topics/<int:pk>/monitoring/questionnaire/",
        views.questionnaire,
        name="monitoring_questionnaire",
    ),
    path(
        "supervision/topics/<int:pk>/monitoring/results/",
        views.results,
        name="monitoring_results",
    ),
    path(
        "supervision/topics/<int:pk>/monitoring/results.xlsx",
        views.results_xlsx,
        name="monitoring_results_xlsx",
    ),
    path(
        "supervision/topics/<int:pk>/monitoring/texts/",
        views.texts,
        name="monitoring_texts",
    ),
    path(
        "supervision/monitoring/points/<int:pk>/active/",
        views.point_active,
        name="monitoring_point_active",
    ),
    path(
        "supervision/monitoring/points/<int:pk>/qr.<str:fmt>",
        views.point_qr,
        name="monitoring_point_qr",
    ),
    path(
        "supervision/monitoring/questions/<int:pk>/",
        views.question_edit,
        name="monitoring_question_edit",
    ),
    path(
        "supervision/monitoring/questions/<int:pk>/change/",
        views.question_change,
        name="monitoring_question_change",
    ),
    path(
        "supervision/monitoring/answers/<int:pk>/finding/",
        views.answer_finding,
        name="monitoring_answer_finding",
    ),
    # The public questionnaire behind a point's QR code (no account).
    path("m/<str:token>/", views.public, name="monitoring_public"),
    path("m/<str:token>/thanks/", views.thanks, name="monitoring_thanks"),
]
