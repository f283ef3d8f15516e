"""Factories that build valid minimal objects. History is made by calling services."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from congress.models import (
    Congress,
    CongressLevel,
    Department,
    DepartmentKind,
    Region,
    RegionLevel,
    Role,
    RoleGrant,
    Session,
    SessionKind,
    Term,
    User,
)

PASSWORD = "Persona-pass-2026"


class RegionFactory(DjangoModelFactory[Region]):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"区划{n}")
    level = RegionLevel.COUNTY
    parent = None


class CongressFactory(DjangoModelFactory[Congress]):
    class Meta:
        model = Congress

    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"{o.region.name}人民代表大会")
    level = CongressLevel.COUNTY


class TermFactory(DjangoModelFactory[Term]):
    class Meta:
        model = Term

    congress = factory.SubFactory(CongressFactory)
    number = 18
    starts_on = datetime.date(2021, 12, 20)


class SessionFactory(DjangoModelFactory[Session]):
    class Meta:
        model = Session

    term = factory.SubFactory(TermFactory)
    kind = SessionKind.PLENARY
    number = factory.Sequence(lambda n: n + 1)
    opens_on = datetime.date(2026, 1, 5)
    closes_on = datetime.date(2026, 1, 8)


class DepartmentFactory(DjangoModelFactory[Department]):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"承办单位{n}")
    kind = DepartmentKind.GOVERNMENT
    region = factory.SubFactory(RegionFactory)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


def grant(
    user: User, role: str, *, region: Region | None = None, department: Department | None = None
) -> User:
    RoleGrant.objects.create(user=user, role=role, region=region, department=department)
    user.__dict__.pop("grants", None)  # the cached grants are stale now
    return user


__all__ = [
    "PASSWORD",
    "CongressFactory",
    "DepartmentFactory",
    "RegionFactory",
    "Role",
    "SessionFactory",
    "TermFactory",
    "UserFactory",
    "grant",
]
