"""The pages of the rules per congress (congress/rules_views.py): the list of congresses
in scope, one congress's rules with their default, inherited value, legal source and
range; an out-of-range value refused with the range and nothing typed lost."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.models import Congress, CongressLevel, User
from congress.models.rules import CongressRule
from congress.rules import congress_rules_save
from tests.conftest import World, login
from tests.factories import CongressFactory, RegionFactory

ACCEPT = "citizen.accept_workdays"
REPLY = "suggestion.reply_months"


def congress_of(region: Any) -> Congress:
    return Congress.objects.get(region=region)


def detail(congress: Congress) -> str:
    return reverse("congress_rules_detail", args=[congress.pk])


def test_the_page_shows_each_rule_with_its_source_range_default_and_inherited_value(
    client: Client, world: World, administrator: User
) -> None:
    congress_rules_save(congress=congress_of(world.city), values={ACCEPT: 4}, by=administrator)
    login(client, administrator)
    response = client.get(detail(congress_of(world.district)))
    assert response.status_code == 200
    row = _row(response.content.decode(), ACCEPT)
    assert "受理时限" in row
    assert "1至10个工作日" in row  # the range
    assert "默认值：2个工作日" in row
    assert "沿用上级：4个工作日（江海市人民代表大会）" in row  # inherited from the city
    assert "实践做法" in row
    reply = _row(response.content.decode(), REPLY)
    assert "《代表法》" in reply and "1至3个月" in reply


def _row(html: str, key: str) -> str:
    start = html.index(f'data-testid="rule-{key}"')
    return html[start : html.index('data-testid="rule-', start + 10)]


def test_an_out_of_range_value_is_refused_with_the_range_and_nothing_typed_is_lost(
    client: Client, world: World, administrator: User
) -> None:
    district = congress_of(world.district)
    login(client, administrator)
    response = client.post(
        detail(district),
        {ACCEPT: "12", REPLY: "2", "citizen.moderation_words": "刷单\n高息放贷"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "超出允许范围：1至10个工作日" in html
    assert 'value="12"' in html  # what was typed stays in its field
    assert 'value="2"' in html
    assert "高息放贷" in html
    assert not CongressRule.objects.filter(congress=district).exists()


def test_an_administrator_saves_and_blank_follows_the_congress_above(
    client: Client, world: World, administrator: User
) -> None:
    district = congress_of(world.district)
    login(client, administrator)
    response = client.post(
        detail(district), {ACCEPT: "3", REPLY: "", "citizen.sms_confirmation": "1"}
    )
    assert response.status_code == 302
    saved = dict(CongressRule.objects.filter(congress=district).values_list("key", "value"))
    assert saved == {ACCEPT: 3, "citizen.sms_confirmation": True}
    page = client.get(detail(district)).content.decode()
    assert "沿用上级" in page
    assert "（沿用上级） → 3个工作日" in page  # the change in the history


def test_staff_read_the_rules_of_their_congresses_but_do_not_edit_them(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    assert 'href="/rules/"' in client.get("/").content.decode()  # 基础数据 › 各级人大规则
    response = client.get(detail(congress_of(world.district)))
    assert response.status_code == 200
    assert f'name="{ACCEPT}"' not in response.content.decode()
    assert client.post(detail(congress_of(world.district)), {ACCEPT: "3"}).status_code == 403
    assert client.get(detail(congress_of(world.other_district))).status_code == 404
    listed = client.get(reverse("congress_rules_list")).content.decode()
    assert "临江区" not in listed
    assert not CongressRule.objects.exists()


def _costs(client: Client, congress: Congress) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as listed:
        assert client.get(reverse("congress_rules_list")).status_code == 200
    with CaptureQueriesContext(connection) as shown:
        assert client.get(detail(congress)).status_code == 200
    return len(listed), len(shown)


def _towns(world: World, administrator: User, numbers: range) -> None:
    for number in numbers:
        town = RegionFactory(name=f"镇{number}", level="township", parent=world.district)
        congress = CongressFactory(region=town, level=CongressLevel.TOWNSHIP)
        congress_rules_save(congress=congress, values={ACCEPT: 3}, by=administrator)


def test_the_list_and_a_congress_page_cost_the_same_for_few_and_many(
    client: Client, world: World, administrator: User
) -> None:
    login(client, administrator)
    client.get(reverse("congress_rules_list"))  # the first request's one-off reads
    _towns(world, administrator, range(3))
    few = _costs(client, congress_of(world.town))
    _towns(world, administrator, range(3, 30))
    congress_rules_save(
        congress=congress_of(world.district), values={ACCEPT: 4, REPLY: 2}, by=administrator
    )
    many = _costs(client, congress_of(world.town))
    assert few == many
