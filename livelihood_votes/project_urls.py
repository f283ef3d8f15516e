"""Routes of the livelihood year's projects (livelihood_votes/projects/views.py and
public_views.py)."""

from django.urls import URLPattern, URLResolver, path

from livelihood_votes.projects import public_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("livelihood/projects/", views.project_list, name="livelihood_project_list"),
    path(
        "livelihood/cycles/<int:pk>/projects/",
        views.cycle_projects,
        name="livelihood_cycle_projects",
    ),
    path(
        "livelihood/cycles/<int:pk>/projects/start/",
        views.cycle_projects_start,
        name="livelihood_cycle_projects_start",
    ),
    path(
        "livelihood-votes/<int:pk>/implementation/",
        views.vote_start_implementation,
        name="livelihood_vote_start_implementation",
    ),
    path("livelihood/projects/<int:pk>/", views.project_detail, name="livelihood_project_detail"),
    path(
        "livelihood/projects/<int:pk>/act/<slug:action>/",
        views.project_act,
        name="livelihood_project_act",
    ),
    path(
        "livelihood/project-photos/<str:token>/",
        views.project_photo,
        name="livelihood_project_photo",
    ),
    # Public (no login).
    path("p/livelihood/<int:pk>/", public_views.public_cycle, name="livelihood_public_cycle"),
    path(
        "p/livelihood/projects/<int:pk>/",
        public_views.public_project,
        name="livelihood_public_project",
    ),
    path(
        "p/livelihood/projects/<int:pk>/qr.<str:fmt>",
        public_views.public_project_qr,
        name="livelihood_public_project_qr",
    ),
    path(
        "p/livelihood/photos/<str:token>/",
        public_views.public_photo,
        name="livelihood_public_photo",
    ),
]
