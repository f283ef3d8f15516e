from django.urls import include, path

urlpatterns = [
    path("", include("suggestions.citizen.api_urls")),
    path("", include("suggestions.formal.api_urls")),
]
