from django.urls import path, re_path

from representatives import point_rules_views, public_views, station_views, views

urlpatterns = [
    # Staff and representatives
    path("representatives/", views.representative_list, name="representative_list"),
    path("representatives/new/", views.representative_create, name="representative_create"),
    path("representatives/import/", views.representative_import, name="representative_import"),
    path("representatives/export.xlsx", views.representative_export, name="representative_export"),
    path("representatives/cards/", views.contact_cards, name="representative_cards"),
    path("representatives/cards/pdf/", views.contact_cards_pdf, name="representative_cards_pdf"),
    path(
        "representatives/cards/pdf/<str:token>/",
        views.contact_cards_pdf_job,
        name="representative_cards_pdf_job",
    ),
    path(
        "representatives/cards/pdf/<str:token>/download/",
        views.contact_cards_pdf_download,
        name="representative_cards_pdf_download",
    ),
    path("representatives/<int:pk>/", views.representative_detail, name="representative_detail"),
    path("representatives/<int:pk>/edit/", views.representative_edit, name="representative_edit"),
    path(
        "representatives/<int:pk>/photo/", views.representative_photo, name="representative_photo"
    ),
    path("representatives/<int:pk>/mandates/new/", views.mandate_create, name="mandate_create"),
    path(
        "representatives/<int:pk>/login/",
        views.representative_login_create,
        name="representative_login_create",
    ),
    path(
        "representatives/<int:pk>/rotate-token/",
        views.representative_rotate_token,
        name="representative_rotate_token",
    ),
    path("representatives/<int:pk>/grids/", views.grid_assign, name="grid_assign"),
    path(
        "representatives/<int:pk>/points/",
        views.representative_points,
        name="representative_points",
    ),
    path(
        "representatives/<int:pk>/report/<int:year>/",
        views.representative_report,
        name="representative_report",
    ),
    path("mandates/<int:pk>/end/", views.mandate_end, name="mandate_end"),
    path("voter-delegates/", views.voter_delegate_list, name="voter_delegate_list"),
    path("voter-delegates/new/", views.voter_delegate_edit, name="voter_delegate_create"),
    path("voter-delegates/<int:pk>/", views.voter_delegate_edit, name="voter_delegate_edit"),
    path("grid-assignments/<int:pk>/remove/", views.grid_unassign, name="grid_unassign"),
    path("grids/coverage/", views.grid_coverage, name="grid_coverage"),
    path("grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("stations/", station_views.station_list, name="station_list"),
    path("stations/new/", station_views.station_create, name="station_create"),
    path("stations/<int:pk>/", station_views.station_detail, name="station_detail"),
    path("stations/<int:pk>/edit/", station_views.station_edit, name="station_edit"),
    path("stations/<int:pk>/members/", station_views.station_member_add, name="station_member_add"),
    path(
        "station-members/<int:pk>/remove/",
        station_views.station_member_remove,
        name="station_member_remove",
    ),
    path(
        "stations/<int:pk>/rotate-token/",
        station_views.station_rotate_token,
        name="station_rotate_token",
    ),
    path("stations/<int:pk>/poster/", station_views.station_poster, name="station_poster"),
    path("stations/<int:pk>/cards/", station_views.station_cards, name="station_cards"),
    path("stations/<int:pk>/duty/", station_views.station_duty, name="station_duty"),
    path("duty/<int:pk>/<slug:action>/", views.shift_action, name="shift_action"),
    path("my/duty/", views.my_duty, name="my_duty"),
    path("duty/", views.duty_shift_list, name="duty_shift_list"),
    path("contacts/", views.contact_log_list, name="contact_log_list"),
    path("contacts/new/", views.contact_log_create, name="contact_log_create"),
    path("contacts/<int:pk>/", views.contact_log_detail, name="contact_log_detail"),
    path("contacts/<int:pk>/edit/", views.contact_log_edit, name="contact_log_edit"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/sign-up/", views.activity_sign_up, name="activity_sign_up"),
    path("activities/<int:pk>/attendance/", views.activity_attendance, name="activity_attendance"),
    path(
        "activities/<int:pk>/<slug:action>/", views.activity_transition, name="activity_transition"
    ),
    path("points/", views.points_ranking, name="points_ranking"),
    path(
        "rules/<int:pk>/points/",
        point_rules_views.congress_point_rules,
        name="congress_point_rules",
    ),
    # Public (no login): reached by the token printed in a QR code
    path("s/<str:token>/", public_views.public_station, name="public_station"),
    path(
        "s/<str:token>/evaluate/",
        public_views.public_station_evaluate,
        name="public_station_evaluate",
    ),
    path("r/<str:token>/", public_views.public_representative, name="public_representative"),
    path(
        "r/<str:token>/photo/",
        public_views.public_representative_photo,
        name="public_representative_photo",
    ),
    re_path(
        r"^qr/(?P<kind>[sr])/(?P<token>[A-Za-z0-9_-]+)\.(?P<fmt>svg|png)$",
        public_views.qr_code,
        name="qr_code",
    ),
]
