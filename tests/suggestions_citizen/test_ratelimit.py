"""Abuse protection that does not hurt real people: limits per address and per phone
that a rotating X-Forwarded-For cannot get round."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from representatives.models import Station
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.suggestions_citizen.conftest import form_data


@override_settings(CITIZEN_RATE_PER_IP="3/h", TRUSTED_PROXY_COUNT=1)
def test_the_address_limit_holds_with_a_rotating_forwarded_for(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    statuses = []
    for number in range(5):
        # The client forges the left part; our one proxy appends what it really saw.
        forwarded = f"10.0.{number}.{number}, 198.51.100.7"
        response = client.post(
            "/q/new/",
            form_data(station, categories["roads"], mobile=f"1390000000{number}"),
            REMOTE_ADDR="10.1.1.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429, 429]
    assert CitizenIssue.objects.count() == 3
    limited = client.post(
        "/q/new/",
        form_data(station, categories["roads"]),
        REMOTE_ADDR="10.1.1.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7",
    )
    assert "提交过于频繁" in limited.content.decode()
    # Someone else behind the same proxy is not affected.
    other = client.post(
        "/q/new/",
        form_data(station, categories["roads"], mobile="13700000000"),
        REMOTE_ADDR="10.1.1.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other.status_code == 302


@override_settings(CITIZEN_RATE_PER_IP="3/h", TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_the_header_is_ignored(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    codes = [
        client.post(
            "/q/new/",
            form_data(station, categories["roads"], mobile=f"1390000000{n}"),
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        ).status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]


@override_settings(CITIZEN_RATE_PER_PHONE="2/h")
def test_one_phone_cannot_flood_from_many_addresses(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    codes = [
        client.post(
            "/q/new/", form_data(station, categories["roads"]), REMOTE_ADDR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]


@override_settings(CITIZEN_RATE_PER_IP="1/h")
def test_the_api_answers_429_with_code_and_message(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    first = client.post("/api/v1/citizen/issues/", form_data(station, categories["roads"]))
    second = client.post("/api/v1/citizen/issues/", form_data(station, categories["roads"]))
    assert first.status_code == 201
    assert second.status_code == 429
    assert second.json() == {"code": "throttled", "message": "提交过于频繁，请稍后再试。"}


@override_settings(
    CITIZEN_RATE_PER_IP="1/h",
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # a real Redis client; nothing listens there
        }
    },
)
def test_a_cache_outage_lets_citizens_through(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    codes = [
        client.post(
            "/q/new/", form_data(station, categories["roads"], mobile=f"1390000001{n}")
        ).status_code
        for n in range(2)
    ]
    assert codes == [302, 302]  # over the limit of 1/h, but the counter cannot be read
    assert CitizenIssue.objects.count() == 2


@pytest.mark.parametrize("path", ["/q/t/nonexistent-token/", "/q/a/nonexistent-token/"])
def test_an_unknown_tracking_link_is_a_404(client: Client, db: None, path: str) -> None:
    assert client.get(path).status_code == 404
