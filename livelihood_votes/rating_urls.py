"""Routes of the livelihood year's ratings (livelihood_votes/ratings/views.py)."""

from django.urls import URLPattern, URLResolver, path

from livelihood_votes.ratings import views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "livelihood/cycles/<int:pk>/rating/", views.rating_manage, name="livelihood_rating_manage"
    ),
    path(
        "livelihood/cycles/<int:pk>/rating/act/<slug:action>/",
        views.rating_act,
        name="livelihood_rating_act",
    ),
    path(
        "livelihood/cycles/<int:pk>/report/",
        views.year_report_view,
        name="livelihood_year_report",
    ),
    path("livelihood/ratings/mine/", views.my_ratings, name="my_livelihood_ratings"),
    path(
        "livelihood/ratings/<int:pk>/ballot/", views.rating_ballot, name="livelihood_rating_ballot"
    ),
    path(
        "livelihood/ratings/<int:pk>/results/",
        views.rating_results,
        name="livelihood_rating_results",
    ),
    path(
        "livelihood/ratings/<int:pk>/sign-in/",
        views.rating_sign_in,
        name="livelihood_rating_sign_in",
    ),
    path("livelihood/ratings/<int:pk>/paper/", views.rating_paper, name="livelihood_rating_paper"),
    path(
        "p/livelihood/ratings/<int:pk>/",
        views.rating_public,
        name="livelihood_rating_public",
    ),
    path(
        "livelihood/rectifications/<int:pk>/",
        views.rectification_detail,
        name="livelihood_rectification_detail",
    ),
]
