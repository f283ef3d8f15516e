"""The service worker script and what it is told (docs/offline.md).

The script is served from the site root so it may control the representative's pages
(the header ``Service-Worker-Allowed: /``), as JavaScript, never kept by a cache, and
the same for everyone: the list of pages it keeps holds no one's data. Who is signed
in is told only to the signed-in, with a CSRF token for the queue's uploads.
"""

from __future__ import annotations

import json
import re

from django.test import Client

from congress.models import User
from representatives.models import Representative
from tests.conftest import login


def _config(body: str) -> dict[str, object]:
    first = body.splitlines()[0]
    match = re.fullmatch(r"self\.OFFLINE = (\{.*\});", first)
    assert match, first
    config: dict[str, object] = json.loads(match.group(1))
    return config


def test_the_worker_is_served_from_the_root_with_its_headers(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    config = _config(body)
    # The representative's home page (the app's start) and three pages, by their addresses.
    assert config["pages"] == ["/", "/contacts/new/", "/issues/", "/my/duty/"]
    assert config["session"] == "/offline/session/"
    assert config["upload"] == "/offline/contact-logs/"
    assets = config["assets"]
    assert isinstance(assets, list)
    assert any(url.endswith("bootstrap.min.css") for url in assets)
    assert any("/js/offline/queue" in url for url in assets)
    assert 'addEventListener("fetch"' in body and 'addEventListener("sync"' in body


def test_the_worker_is_the_same_for_everyone(
    client: Client, representative: Representative, representative_user: User
) -> None:
    anonymous = Client().get("/sw.js").content
    login(client, representative_user)
    signed_in = client.get("/sw.js")
    assert signed_in.content == anonymous
    # A signed-in answer is never stored by a proxy (congress/middleware.py).
    assert signed_in["Cache-Control"] == "no-store"


def test_the_session_tells_the_phone_who_is_signed_in(
    client: Client, representative: Representative, representative_user: User
) -> None:
    assert Client().get("/offline/session/").status_code == 302  # to the login page
    login(client, representative_user)
    response = client.get("/offline/session/")
    body = response.json()
    assert body["user"] == representative_user.pk
    assert body["representative"] is True
    assert len(body["csrf"]) == 64


def test_staff_are_told_they_are_no_representative(client: Client, district_staff: User) -> None:
    login(client, district_staff)
    assert client.get("/offline/session/").json()["representative"] is False


def test_signed_in_pages_name_the_user_for_the_worker_and_mark_the_offline_pages(
    client: Client, representative: Representative, representative_user: User
) -> None:
    anonymous = Client().get("/accounts/login/").content.decode()
    assert "data-offline-user" not in anonymous
    login(client, representative_user)
    form = client.get("/contacts/new/").content.decode()
    assert f'data-offline-user="{representative_user.pk}"' in form
    assert "data-offline-page" in form and "data-offline-form" in form
    assert 'enctype="multipart/form-data"' in form
    assert 'data-shrink-photos="1600"' in form
    assert "data-offline-page" in client.get("/my/duty/").content.decode()
    home = client.get("/").content.decode()
    assert "data-offline-signout" in home
    # The home page is no offline page: it does not register the worker.
    assert "data-offline-page" not in home
