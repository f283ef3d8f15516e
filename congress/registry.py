"""Where feature apps plug into the core (registered in their ``AppConfig.ready``).

The core imports no feature app; it learns about them here: navigation entries,
home-page cards, and demo-data builders. (Closed-loop case types register with
``congress.loop``.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
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


nav_items: list[NavItem] = []
home_cards: list[HomeCard] = []
demo_builders: list[DemoBuilder] = []


def register_nav(item: NavItem) -> None:
    if item not in nav_items:
        nav_items.append(item)
        nav_items.sort(key=lambda entry: entry.order)


def register_home_card(card: HomeCard) -> None:
    if card not in home_cards:
        home_cards.append(card)
        home_cards.sort(key=lambda entry: entry.order)


def register_demo_builder(builder: DemoBuilder) -> None:
    if all(existing.name != builder.name for existing in demo_builders):
        demo_builders.append(builder)
        demo_builders.sort(key=lambda entry: entry.order)
