from django.urls import URLPattern, URLResolver, path

from suggestions.citizen import appointment_views, lookups, staff_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    # The citizen's pages (no account; reached from a QR code).
    path("q/new/", views.citizen_issue_new, name="citizen_issue_new"),
    path("q/similar/", views.citizen_issue_similar, name="citizen_issue_similar"),
    path("q/find/", views.citizen_issue_lookup, name="citizen_issue_lookup"),
    path("q/t/<str:token>/", views.citizen_issue_track, name="citizen_issue_track"),
    path("q/t/<str:token>/rate/", views.citizen_issue_rate, name="citizen_issue_rate"),
    path("q/t/<str:token>/confirm/", views.citizen_issue_confirm, name="citizen_issue_confirm"),
    path(
        "q/t/<str:token>/photos/<str:photo>/",
        views.citizen_issue_track_photo,
        name="citizen_issue_track_photo",
    ),
    path("q/appointment/", appointment_views.appointment_new, name="appointment_new"),
    path("q/a/<str:token>/", appointment_views.appointment_track, name="appointment_track"),
    path(
        "q/a/<str:token>/<str:action>/",
        appointment_views.appointment_track_act,
        name="appointment_track_act",
    ),
    # Staff, representatives and department clerks.
    path("issues/", staff_views.citizen_issue_list, name="citizen_issue_list"),
    path("issues/export/", staff_views.citizen_issue_export, name="citizen_issue_export"),
    path("issues/lookup/<str:kind>/", lookups.lookup, name="citizen_issue_lookup_field"),
    path(
        "issues/bulk-assign/",
        staff_views.citizen_issue_bulk_assign,
        name="citizen_issue_bulk_assign",
    ),
    path("issues/filters/", staff_views.saved_filter_save, name="citizen_issue_filter_save"),
    path(
        "issues/filters/<int:pk>/delete/",
        staff_views.saved_filter_delete,
        name="citizen_issue_filter_delete",
    ),
    path("issues/<int:pk>/", staff_views.citizen_issue_detail, name="citizen_issue_detail"),
    path("issues/<int:pk>/print/", staff_views.citizen_issue_print, name="citizen_issue_print"),
    path("issues/<int:pk>/reveal/", staff_views.citizen_issue_reveal, name="citizen_issue_reveal"),
    path(
        "issues/<int:pk>/photos/<str:photo>/",
        staff_views.citizen_issue_photo,
        name="citizen_issue_photo",
    ),
    path(
        "issues/<int:pk>/do/<str:action>/", staff_views.citizen_issue_act, name="citizen_issue_act"
    ),
    path("appointments/", appointment_views.appointment_list, name="appointment_list"),
    path(
        "appointments/department/new/",
        appointment_views.appointment_department_new,
        name="appointment_department_new",
    ),
    path("appointments/<int:pk>/", appointment_views.appointment_detail, name="appointment_detail"),
    path(
        "appointments/<int:pk>/do/<str:action>/",
        appointment_views.appointment_act,
        name="appointment_act",
    ),
]
