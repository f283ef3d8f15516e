"""A NUL character in a path, query or form field is a clean 400, never a 500.

PostgreSQL cannot compare a string that holds NUL; the API fuzzer sent one in
the ``rep`` field of a citizen's submission and the lookup crashed.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("post", "/api/v1/citizen/issues/", {"rep": "abc\x00def", "description": "路灯"}, None),
        ("post", "/api/v1/citizen/issues/", json.dumps({"rep": "a\u0000b"}), "application/json"),
        ("get", "/q/new/?station=abc%00def", None, None),
        ("get", "/q/t/abc%00def/", None, None),
        ("post", "/accounts/login/", {"username": "chen\x00jing", "password": "x"}, None),
    ],
)
def test_a_nul_character_is_refused_with_a_message(
    client: Client, db: None, method: str, path: str, body: object, content_type: str | None
) -> None:
    kwargs = {"content_type": content_type} if content_type else {}
    response = getattr(client, method)(path, body, **kwargs) if body else client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json() == {"code": "invalid", "message": "请求中含有无效字符。"}
    else:
        assert "请求中含有无效字符。" in response.content.decode()


def test_a_photo_may_hold_nul_bytes(client: Client, db: None) -> None:
    # Files are binary: only the form's text fields are looked at.
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("a.jpg", b"\xff\xd8\x00\x00binary", content_type="image/jpeg")
    response = client.post("/api/v1/citizen/issues/", {"photos": photo, "description": "路灯"})
    assert response.status_code != 500
    assert response.json().get("message") != "请求中含有无效字符。"
