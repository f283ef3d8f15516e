from django.urls import URLPattern, URLResolver, path

from suggestions.formal import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("suggestions/", views.suggestion_list, name="formal_suggestion_list"),
    path("suggestions/new/", views.suggestion_create, name="formal_suggestion_create"),
    path("suggestions/key/", views.key_list, name="formal_key_list"),
    path("suggestions/workspace/", views.workspace, name="formal_workspace"),
    path("suggestions/report/", views.report, name="formal_report"),
    path(
        "suggestions/report/<int:session_id>/print/",
        views.report_print,
        name="formal_report_print",
    ),
    path("suggestions/report/<int:session_id>/xlsx/", views.report_xlsx, name="formal_report_xlsx"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="formal_suggestion_detail"),
    path("suggestions/<int:pk>/edit/", views.suggestion_edit, name="formal_suggestion_edit"),
    path("suggestions/<int:pk>/files/<str:token>/", views.attachment, name="formal_attachment"),
    path(
        "suggestions/<int:pk>/act/<slug:action>/",
        views.suggestion_act,
        name="formal_suggestion_act",
    ),
    path(
        "suggestions/assignments/<int:pk>/<slug:action>/",
        views.assignment_act,
        name="formal_assignment_act",
    ),
    path("public/suggestions/", views.public_list, name="formal_public_list"),
    path("public/suggestions/<int:pk>/", views.public_detail, name="formal_public_detail"),
]
