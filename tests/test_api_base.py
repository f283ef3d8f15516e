from django.test import Client

from congress.models import User
from tests.conftest import World, login


def test_api_requires_authentication(client: Client, db: None) -> None:
    response = client.get("/api/v1/regions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"code", "message"}


def test_token_authentication_works(client: Client, world: World, city_staff: User) -> None:
    from knox.models import AuthToken

    _row, token = AuthToken.objects.create(user=city_staff)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json()["grants"][0]["role"] == "staff"


def test_regions_filter_within_a_subtree(client: Client, world: World, city_staff: User) -> None:
    login(client, city_staff)
    rows = client.get(f"/api/v1/regions/?within={world.town.pk}").json()["results"]
    assert {row["name"] for row in rows} == {"新浦街道", "桃园社区", "桃园社区第1网格"}


def test_openapi_schema_and_docs_are_served(client: Client, city_staff: User) -> None:
    login(client, city_staff)  # production asks for a login (tests/security/test_api_tokens.py)
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/regions/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"<script>" not in docs.content  # no inline script: the CSP would block it


def test_a_body_over_djangos_field_limit_is_a_json_400(
    client: Client, world: World, city_staff: User
) -> None:
    """A form body with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) is bad input
    like any other: the API's JSON error shape, in the caller's language, nothing made."""
    from urllib.parse import urlencode

    login(client, city_staff)
    body = urlencode([("ids", "1")] * 1001)
    response = client.post(
        "/api/v1/representative-accounts/",
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "invalid"
    assert "超出限制" in response.json()["message"]
    # The same as a multipart body (the fuzzer's): the first, failed read of the form
    # (the CSRF check's) leaves nothing for the API's parser to read again.
    multipart = client.post(
        "/api/v1/representative-accounts/",
        {"ids": ["1"] * 1001},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert multipart.status_code == 400
    assert multipart.json()["code"] == "invalid"
    assert "超出限制" in multipart.json()["message"]
