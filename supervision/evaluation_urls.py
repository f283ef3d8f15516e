"""Routes of the department evaluation (工作评议, 云评议)."""

from django.urls import URLPattern, URLResolver, path

from supervision.evaluation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/act/<str:name>/", views.evaluation_act, name="evaluation_act"),
    path("evaluations/<int:pk>/score/", views.evaluation_ballot, name="evaluation_ballot"),
    path("p/evaluations/<int:pk>/", views.public_ranking, name="evaluation_public"),
    path(
        "p/evaluations/region/<int:region_id>/",
        views.public_region,
        name="evaluation_public_region",
    ),
]
