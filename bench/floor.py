"""The floor under the public submission: Django answering a POST with one INSERT.

A WSGI application of its own for ``bench/submission.py`` (never in the product's URLs):
the project's settings and database, no middleware, one view that inserts one row
into ``bench_floor`` (created by the benchmark) in autocommit. What gunicorn, Django's
request handling and one write to PostgreSQL cost, with nothing of the product's.

With ``BENCH_FLOOR_STACK=1`` the same view sits behind the product's whole middleware
stack (``congress.settings.MIDDLEWARE``: sessions, CSRF, locale, the anonymous rate
limit in Redis, security headers, django-axes …): what the stack costs a request
before the citizen's form does any work of its own.

    gunicorn bench.floor:application
"""

from __future__ import annotations

import os

import django
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
django.setup()
STACK = os.environ.get("BENCH_FLOOR_STACK") == "1"
PRODUCT_URLS = settings.ROOT_URLCONF
settings.ROOT_URLCONF = __name__
if not STACK:
    settings.MIDDLEWARE = []

TABLE = (
    "CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, body text, at timestamptz)"
)


def insert_one(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_floor (body, at) VALUES (%s, now())",
            [request.POST.get("description", "")],
        )
    return HttpResponse(status=201)


urlpatterns: list[URLPattern | URLResolver] = [path("floor/", insert_one)]
if STACK:  # the middleware links to the product's pages (sign-in, second factor)
    urlpatterns.append(path("", include(PRODUCT_URLS)))

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after the URL conf is set

application = get_wsgi_application()
