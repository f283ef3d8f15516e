"""Routes of plans, topics and findings."""

from django.urls import URLPattern, URLResolver, path

from supervision import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("supervision/plans/", views.plan_list, name="supervision_plan_list"),
    path("supervision/plans/new/", views.plan_create, name="supervision_plan_create"),
    path("supervision/plans/<int:pk>/", views.plan_detail, name="supervision_plan_detail"),
    path("supervision/plans/<int:pk>/edit/", views.plan_edit, name="supervision_plan_edit"),
    path("supervision/plans/<int:pk>/adopt/", views.plan_adopt, name="supervision_plan_adopt"),
    path(
        "supervision/plans/<int:pk>/committees/",
        views.committee_add,
        name="supervision_committee_add",
    ),
    path(
        "supervision/plans/<int:pk>/topics/new/",
        views.topic_create,
        name="supervision_topic_create",
    ),
    path("supervision/topics/", views.topic_list, name="supervision_topic_list"),
    path("supervision/topics/<int:pk>/", views.topic_detail, name="supervision_topic_detail"),
    path("supervision/topics/<int:pk>/edit/", views.topic_edit, name="supervision_topic_edit"),
    path(
        "supervision/topics/<int:pk>/act/<str:action>/",
        views.topic_act,
        name="supervision_topic_act",
    ),
    path(
        "supervision/topics/<int:pk>/members/",
        views.member_add,
        name="supervision_member_add",
    ),
    path(
        "supervision/topics/<int:pk>/members/<int:member_id>/remove/",
        views.member_remove,
        name="supervision_member_remove",
    ),
    path(
        "supervision/topics/<int:pk>/categories/",
        views.category_add,
        name="supervision_category_add",
    ),
    path(
        "supervision/topics/<int:pk>/findings/",
        views.topic_findings,
        name="supervision_topic_findings",
    ),
    path(
        "supervision/topics/<int:pk>/findings.xlsx",
        views.topic_findings_xlsx,
        name="supervision_topic_findings_xlsx",
    ),
    path(
        "supervision/topics/<int:pk>/findings/new/",
        views.finding_create,
        name="supervision_finding_create",
    ),
    path(
        "supervision/topics/<int:pk>/investigations/new/",
        views.investigation_create,
        name="supervision_investigation_create",
    ),
    path(
        "supervision/investigations/photos/<str:token>/",
        views.investigation_photo,
        name="supervision_investigation_photo",
    ),
    path(
        "supervision/topics/<int:pk>/reviews/",
        views.review_schedule,
        name="supervision_review_schedule",
    ),
    path(
        "supervision/reviews/<int:pk>/",
        views.review_hold,
        name="supervision_review_hold",
    ),
    path("p/supervision/topics/<int:pk>/", views.topic_public, name="supervision_topic_public"),
    path(
        "p/supervision/regions/<int:region_id>/",
        views.public_region,
        name="supervision_public_region",
    ),
    path("supervision/findings/", views.finding_list, name="supervision_finding_list"),
    path("supervision/findings/rates/", views.finding_rates, name="supervision_finding_rates"),
    path(
        "supervision/findings/rates.xlsx",
        views.finding_rates_xlsx,
        name="supervision_finding_rates_xlsx",
    ),
    path(
        "supervision/findings/<int:pk>/",
        views.finding_detail,
        name="supervision_finding_detail",
    ),
    path(
        "supervision/findings/<int:pk>/actions/<str:name>/",
        views.finding_act,
        name="supervision_finding_act",
    ),
]
