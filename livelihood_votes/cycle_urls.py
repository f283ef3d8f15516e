"""Routes of the livelihood year's cycles (livelihood_votes/cycles/views.py) and the
public pages of the call for proposals (livelihood_votes/cycles/public_views.py)."""

from django.urls import URLPattern, URLResolver, path

from livelihood_votes.cycles import public_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("livelihood-cycles/", views.cycle_list, name="livelihood_cycle_list"),
    path("livelihood-cycles/new/", views.cycle_create, name="livelihood_cycle_create"),
    path("livelihood-cycles/mine/", views.my_proposals, name="livelihood_my_proposals"),
    path("livelihood-cycles/<int:pk>/", views.cycle_detail, name="livelihood_cycle_detail"),
    path("livelihood-cycles/<int:pk>/edit/", views.cycle_edit, name="livelihood_cycle_edit"),
    path(
        "livelihood-cycles/<int:pk>/act/<slug:action>/",
        views.cycle_act,
        name="livelihood_cycle_act",
    ),
    path(
        "livelihood-cycles/<int:pk>/shortlist/<int:entry_id>/remove/",
        views.shortlist_remove,
        name="livelihood_shortlist_remove",
    ),
    path(
        "livelihood-cycles/<int:pk>/proposals/",
        views.proposal_list,
        name="livelihood_proposal_list",
    ),
    path("livelihood-cycles/<int:pk>/propose/", views.propose, name="livelihood_propose"),
    path(
        "livelihood-proposals/<int:pk>/", views.proposal_detail, name="livelihood_proposal_detail"
    ),
    path(
        "livelihood-proposals/<int:pk>/act/<slug:action>/",
        views.proposal_act,
        name="livelihood_proposal_act",
    ),
    # Public (no account).
    path("livelihood-call/", public_views.call_list, name="livelihood_call_list"),
    path("livelihood-call/<int:pk>/", public_views.call_detail, name="livelihood_call"),
    path(
        "livelihood-call/<int:pk>/propose/",
        public_views.call_propose,
        name="livelihood_call_propose",
    ),
    path(
        "livelihood-call/t/<str:token>/",
        public_views.proposal_track,
        name="livelihood_proposal_track",
    ),
]
