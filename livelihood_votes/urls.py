from django.urls import URLPattern, URLResolver, path

from livelihood_votes import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("livelihood-votes/", views.vote_list, name="livelihood_vote_list"),
    path("livelihood-votes/new/", views.vote_create, name="livelihood_vote_create"),
    path("livelihood-votes/mine/", views.my_votes, name="my_livelihood_votes"),
    path("livelihood-votes/<int:pk>/", views.vote_detail, name="livelihood_vote_detail"),
    path(
        "livelihood-votes/<int:pk>/candidates/",
        views.candidate_add,
        name="livelihood_candidate_add",
    ),
    path(
        "livelihood-votes/<int:pk>/candidates/<int:candidate_id>/remove/",
        views.candidate_remove,
        name="livelihood_candidate_remove",
    ),
    path(
        "livelihood-votes/<int:pk>/act/<slug:action>/",
        views.vote_act,
        name="livelihood_vote_act",
    ),
    path(
        "livelihood-votes/<int:pk>/participants/",
        views.participants,
        name="livelihood_vote_participants",
    ),
    path("livelihood-votes/<int:pk>/sign-in/", views.sign_in, name="livelihood_vote_sign_in"),
    path("livelihood-votes/<int:pk>/paper/", views.paper_entry, name="livelihood_vote_paper"),
    path("livelihood-votes/<int:pk>/results/", views.results, name="livelihood_vote_results"),
    path(
        "livelihood-votes/<int:pk>/results/print/",
        views.results_print,
        name="livelihood_vote_results_print",
    ),
    path("livelihood-votes/<int:pk>/runoff/", views.runoff_create, name="livelihood_vote_runoff"),
    path("livelihood-votes/<int:pk>/ballot/", views.ballot, name="livelihood_ballot"),
    path("livelihood-votes/<int:pk>/ballots/", views.ballots, name="livelihood_vote_ballots"),
]
