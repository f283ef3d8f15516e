"""Routes of the representatives' offline pages (see representatives/offline.py)."""

from django.urls import URLPattern, URLResolver, path

from representatives import offline

urlpatterns: list[URLPattern | URLResolver] = [
    # At the site root, so the worker may control every page (Service-Worker-Allowed: /).
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/session/", offline.offline_session, name="offline_session"),
    path("offline/contact-logs/", offline.offline_contact_log, name="offline_contact_log"),
    path("contacts/unverified/", offline.contact_log_unverified, name="contact_log_unverified"),
    path("contacts/<int:pk>/actions/<str:name>/", offline.contact_log_act, name="contact_log_act"),
    path(
        "contacts/<int:pk>/photos/<str:token>/",
        offline.contact_log_photo,
        name="contact_log_photo",
    ),
]
