"""The whole cast at once, for suites that try every persona against every route."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from congress.models import User
from tests.conftest import World
from tests.factories import UserFactory

PERSONAS = (
    "anonymous",
    "citizen",
    "representative",
    "other_representative",
    "district_staff",
    "other_district_staff",
    "city_staff",
    "clerk",
    "other_clerk",
    "committee_member",
    "administrator",
)


@dataclass
class Cast:
    """Everyone, and a place for rules to keep the objects they build."""

    world: World
    users: dict[str, User | None]
    objects: dict[str, Any] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        client = Client()
        user = self.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


@pytest.fixture
def cast(
    world: World,
    representative_user: User,
    district_staff: User,
    other_district_staff: User,
    city_staff: User,
    clerk: User,
    other_clerk: User,
    committee_member: User,
    administrator: User,
) -> Cast:
    other_representative = UserFactory(username="wuming", display_name="吴明")
    return Cast(
        world=world,
        users={
            "anonymous": None,
            # A citizen has no account: they hold a secret tracking link, which the
            # rules of the citizen app build; as a client they are anonymous.
            "citizen": None,
            "representative": representative_user,
            "other_representative": other_representative,
            "district_staff": district_staff,
            "other_district_staff": other_district_staff,
            "city_staff": city_staff,
            "clerk": clerk,
            "other_clerk": other_clerk,
            "committee_member": committee_member,
            "administrator": administrator,
        },
    )
