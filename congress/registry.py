"""Where feature apps plug into the core (registered in their ``AppConfig.ready``).

The core imports no feature app; it learns about them here: navigation entries,
home-page cards, demo-data builders, and anonymisers of personal data past its
retention period. (Closed-loop case types register with ``congress.loop``.)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    icon: str = "circle"
    group: str = ""  # a NavGroup key: shown in that group's menu


@dataclass(frozen=True)
class NavGroup:
    """A menu in the navigation bar for related entries. A group in which a user can
    see one entry only shows that entry instead, so nobody opens a menu of one."""

    key: str
    label: str | Promise
    icon: str = "circle"


@dataclass(frozen=True)
class HomeCard:
    """A card on the personal home page; ``render`` returns context or None to hide it."""

    template: str
    render: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class DemoBuilder:
    name: str
    build: Callable[[Any], None]
    order: int = 100


@dataclass(frozen=True)
class RoleSource:
    """Roles a feature app gives a user beyond the core's grants (a representative's
    seats), for the 我的角色 card: ``describe(user)`` returns one line per role."""

    name: str
    describe: Callable[[Any], list[str]]


@dataclass(frozen=True)
class Anonymiser:
    """Personal data a feature app keeps, and how to scrub it once retention has run out.

    ``expired(cutoff)`` returns the rows that were closed before ``cutoff`` and
    still hold personal data (so a second run finds nothing: it must exclude
    rows already anonymised); ``anonymise(rows)`` scrubs one batch of them in
    place and returns how many it changed. ``congress.retention`` calls both.
    """

    name: str
    expired: Callable[[datetime.datetime], QuerySet[Any]]
    anonymise: Callable[[QuerySet[Any]], int]


nav_items: list[NavItem] = []
nav_groups: dict[str, NavGroup] = {}
home_cards: list[HomeCard] = []
demo_builders: list[DemoBuilder] = []
anonymisers: list[Anonymiser] = []
role_sources: list[RoleSource] = []


def register_nav(item: NavItem) -> None:
    if item not in nav_items:
        nav_items.append(item)
        nav_items.sort(key=lambda entry: entry.order)


def register_nav_group(group: NavGroup) -> None:
    nav_groups.setdefault(group.key, group)


@dataclass(frozen=True)
class NavEntry:
    """One place in the navigation bar: a link (no group) or a group's menu."""

    group: NavGroup | None
    items: tuple[NavItem, ...]


def navigation_for(user: Any) -> list[NavEntry]:
    """The user's navigation bar: links and menus, in the order of their first entry."""
    visible = [item for item in nav_items if item.visible(user)]
    members: dict[str, list[NavItem]] = {}
    for item in visible:
        if item.group in nav_groups:
            members.setdefault(item.group, []).append(item)
    entries = []
    for item in visible:
        group = members.get(item.group, [])
        if len(group) < 2:
            entries.append(NavEntry(None, (item,)))
        elif group[0] is item:
            entries.append(NavEntry(nav_groups[item.group], tuple(group)))
    return entries


def register_home_card(card: HomeCard) -> None:
    if card not in home_cards:
        home_cards.append(card)
        home_cards.sort(key=lambda entry: entry.order)


def register_demo_builder(builder: DemoBuilder) -> None:
    if all(existing.name != builder.name for existing in demo_builders):
        demo_builders.append(builder)
        demo_builders.sort(key=lambda entry: entry.order)


def register_role_source(source: RoleSource) -> None:
    if all(existing.name != source.name for existing in role_sources):
        role_sources.append(source)


def register_anonymiser(anonymiser: Anonymiser) -> None:
    if all(existing.name != anonymiser.name for existing in anonymisers):
        anonymisers.append(anonymiser)


# Labels of timeline actions and statuses, so one timeline template can show the
# events of every case type in words. The same word means different things in
# different apps ("closed": a vote, a suggestion, a citizen's problem), so each
# app labels its own case types; the engine's labels (case_type "") are the
# default, and the first choice for an assignment's own events.
_labels: dict[tuple[str, str, str], str | Promise] = {}


def register_labels(
    *,
    case_type: str = "",
    actions: dict[str, str | Promise] | None = None,
    statuses: dict[str, str | Promise] | None = None,
) -> None:
    for key, label in (actions or {}).items():
        _labels[("action", case_type, key)] = label
    for key, label in (statuses or {}).items():
        _labels[("status", case_type, key)] = label


def label_of(kind: str, key: str, *, case_type: str, of_assignment: bool = False) -> str:
    """The words for an ``action`` or ``status`` of an event; the key itself if none."""
    scopes = ("", case_type) if of_assignment else (case_type, "")
    for scope in scopes:
        label = _labels.get((kind, scope, key))
        if label is not None:
            return str(label)
    return key


# A citizen's problem proposed as a 民生实事 project (docs/livelihood-call.md): the app
# that runs the call for proposals registers the one function that files it, so the
# citizen channel needs no import of that app. It is called with ``problem_id``,
# ``region``, ``title``, ``description``, ``place`` and ``by`` inside the conversion's
# transaction and returns the sentence the citizen's tracking page shows.
livelihood_proposers: list[Callable[..., str]] = []


def register_livelihood_proposer(propose: Callable[..., str]) -> None:
    if propose not in livelihood_proposers:
        livelihood_proposers.append(propose)
