"""The demo city a newcomer meets after `make demo`: it builds, every account of the
README's table lands on a home page with its own work, and the links it prints point to
the port it is served on."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from congress.demo import DEMO_PASSWORD
from congress.models import Congress, Department, Region, RoleGrant, User
from tests.process_support import run_django_script

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_demo_city_builds_and_prints_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo", scale=0.25)
    out = capsys.readouterr().out
    assert "Demo-2026" in out and "district_staff" in out
    assert Region.objects.filter(level="grid").exists()
    assert Congress.objects.filter(level="township").exists()
    assert Department.objects.filter(parent__isnull=False).exists()
    assert RoleGrant.objects.filter(user__username="clerk_transport", role="handler").exists()
    assert User.objects.get(username="admin").is_superuser
    call_command("seed_demo")  # a second run leaves the data alone
    assert "already exists" in capsys.readouterr().out


class _Cards(HTMLParser):
    """The text of every element with a data-testid (cards and their parts), by id."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, int]] = []  # (testid, depth at which it opened)
        self.depth = 0
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "source"}:
            return
        self.depth += 1
        testid = dict(attrs).get("data-testid")
        if testid:
            self.open.append((testid, self.depth))
            self.text.setdefault(testid, "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "source"}:
            return
        while self.open and self.open[-1][1] >= self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        for testid, _depth in self.open:
            self.text[testid] += f" {data.strip()}"


def home_of(username: str) -> dict[str, str]:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200 and response.redirect_chain, username
    assert response.redirect_chain[-1][0] == "/", f"{username} did not land on the home page"
    cards = _Cards()
    cards.feed(response.content.decode())
    return {testid: re.sub(r"\s+", " ", text) for testid, text in cards.text.items()}


# Cards that show the number above its label; the others show it after the label.
NUMBER_FIRST = {"card-citizen-issues", "card-jurisdiction"}


def number(cards: dict[str, str], card: str, label: str) -> int:
    """The count a card shows for ``label``."""
    text = cards[card]
    pattern = rf"(\d+) {label}" if card in NUMBER_FIRST else rf"{label} (\d+)"
    found = re.search(pattern, text)
    assert found is not None, f"{label!r} not in {text!r}"
    return int(found.group(1))


# What each account of the README's table does first, as a person would look for it
# on the home page: (card, the count that must not be zero).
WORK: dict[str, list[tuple[str, str]]] = {
    "admin": [("card-citizen-issues", "办理中"), ("card-suggestions-staff", "待代表测评")],
    "city_staff": [
        ("card-citizen-issues", "办理中"),
        ("card-suggestions-staff", "待交办"),
        ("card-suggestions-staff", "待代表测评"),
        ("card-representatives-staff", "在任代表"),
    ],
    "city_teller": [("card-livelihood-votes-staff", "已结束")],
    "district_staff": [
        ("card-citizen-issues", "办理中"),
        ("card-suggestions-staff", "待审查"),
        ("card-suggestions-staff", "待交办"),
        ("card-suggestions-staff", "待代表测评"),
        ("card-livelihood-votes-staff", "投票中"),
    ],
    "other_district_staff": [
        ("card-citizen-issues", "办理中"),
        ("card-suggestions-staff", "待交办"),
        ("card-suggestions-staff", "待代表测评"),
    ],
    "town_staff": [("card-citizen-issues", "办理中"), ("card-representatives-staff", "在任代表")],
    "clerk_transport": [("card-citizen-issues", "办理中"), ("card-suggestions-clerk", "在办建议")],
    "clerk_housing": [("card-suggestions-clerk", "在办建议")],
    "clerk_district_urban": [
        ("card-citizen-issues", "办理中"),
        ("card-suggestions-clerk", "在办建议"),
    ],
    "supervisor_city_office": [("card-citizen-issues", "办理中")],
    "rep_liu": [("card-citizen-issues", "办理中"), ("card-my-suggestions", "待测评的答复")],
    "rep_wang": [("card-citizen-issues", "办理中"), ("card-my-suggestions", "待测评的答复")],
    "rep_zhao": [("card-citizen-issues", "办理中")],
}


@pytest.mark.django_db
def test_every_demo_account_lands_on_its_own_work() -> None:
    call_command("seed_demo", scale=0.25, stdout=open(os.devnull, "w"))  # noqa: SIM115
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    in_readme = re.findall(r"^\| `([a-z_]+)` \|", readme, re.MULTILINE)
    assert set(in_readme) == set(WORK) | {"committee_member"}

    for username in in_readme:
        cards = home_of(username)
        for card, label in WORK.get(username, []):
            assert card in cards, f"{username} has no {card} card"
            assert number(cards, card, label) > 0, f"{username}: {label} is 0 on {card}"
        assert cards.get("card-roles", "").strip(), f"{username}: 我的角色 is empty"

    # The committee member follows the key suggestions (重点督办) of the city.
    assert "共" in home_of("committee_member")["card-key-suggestions"]
    # Representatives see their seats; rep_liu holds two (county and township).
    assert home_of("rep_liu")["card-roles"].count("人民代表大会代表") == 2
    assert "代表票决" in home_of("rep_liu")["card-livelihood-vote"]
    # The region card says what the jurisdiction holds, level by level.
    district = home_of("district_staff")
    assert "海州区" in district["card-jurisdiction"]
    # At scale 0.25 a district has two towns of two villages, each village one grid.
    assert number(district, "card-jurisdiction", "个乡镇（街道）") == 2
    assert number(district, "card-jurisdiction", "个村（社区）") == 4
    assert number(district, "card-jurisdiction", "个网格") == 4


def settings_in_a_fresh_process(tmp_path: Path, **environ: str) -> str:
    """SITE_URL and the station poster's QR link as a new process computes them."""
    env = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "PORT"}}
    env.update(environ, VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="congress.settings")
    return run_django_script(
        "from django.conf import settings; "
        "from representatives.printing import absolute_public_url; "
        "print(settings.SITE_URL, absolute_public_url('/s/abc/'))",
        env,
    )


def test_the_demo_links_follow_the_port_it_serves(tmp_path: Path) -> None:
    assert settings_in_a_fresh_process(tmp_path, DEBUG="1", PORT="8100") == (
        "http://127.0.0.1:8100 http://127.0.0.1:8100/s/abc/"
    )
    assert settings_in_a_fresh_process(tmp_path, DEBUG="1") == (
        "http://127.0.0.1:8000 http://127.0.0.1:8000/s/abc/"
    )


def test_site_url_when_set_wins_over_the_port(tmp_path: Path) -> None:
    out = settings_in_a_fresh_process(
        tmp_path, DEBUG="1", PORT="8100", SITE_URL="http://192.168.1.20:8100/"
    )
    assert out == "http://192.168.1.20:8100 http://192.168.1.20:8100/s/abc/"
