"""Routes of the standing-committee meetings (supervision/meetings/views.py)."""

from django.urls import URLPattern, URLResolver, path

from supervision.meetings import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("supervision/meetings/", views.meeting_list, name="supervision_meeting_list"),
    path("supervision/meetings/new/", views.meeting_create, name="supervision_meeting_create"),
    path("supervision/meetings/<int:pk>/", views.meeting_detail, name="supervision_meeting_detail"),
    path(
        "supervision/meetings/<int:pk>/act/<slug:action>/",
        views.meeting_act,
        name="supervision_meeting_act",
    ),
    path(
        "supervision/meetings/<int:pk>/attendance/",
        views.meeting_attendance,
        name="supervision_meeting_attendance",
    ),
    path("supervision/meetings/<int:pk>/agenda/", views.agenda_add, name="supervision_agenda_add"),
    path("supervision/agenda/<int:pk>/", views.item_detail, name="supervision_agenda_item"),
    path("supervision/agenda/<int:pk>/edit/", views.agenda_edit, name="supervision_agenda_edit"),
    path(
        "supervision/agenda/<int:pk>/act/<slug:action>/",
        views.item_act,
        name="supervision_agenda_act",
    ),
    path("supervision/agenda/<int:pk>/ballot/", views.ballot, name="supervision_evaluation_ballot"),
    path("supervision/agenda/<int:pk>/live/", views.inquiry_live, name="supervision_inquiry_live"),
    path(
        "supervision/agenda/<int:pk>/opinion/",
        views.opinion_create,
        name="supervision_opinion_create",
    ),
    path(
        "supervision/questions/<int:pk>/answer/",
        views.question_answer,
        name="supervision_question_answer",
    ),
    path("supervision/opinions/<int:pk>/", views.opinion_detail, name="supervision_opinion_detail"),
    path(
        "supervision/opinions/<int:pk>/edit/",
        views.opinion_edit,
        name="supervision_opinion_edit",
    ),
    path(
        "supervision/opinions/<int:pk>/act/<slug:action>/",
        views.opinion_act,
        name="supervision_opinion_act",
    ),
]
