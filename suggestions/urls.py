from django.urls import include, path

urlpatterns = [
    path("", include("suggestions.citizen.urls")),
    path("", include("suggestions.formal.urls")),
]
