"""Factories for the representatives app: valid minimal objects."""

from __future__ import annotations

import datetime
import itertools

import factory
from factory.django import DjangoModelFactory

from congress.models import CongressLevel, Region
from representatives.models import (
    Gender,
    Mandate,
    Representative,
    Station,
    StationKind,
    StationMember,
)
from representatives.seat_counts import seat_counts_refresh
from representatives.validators import id_check_character

_sequence = itertools.count(1)


def id_number(area: str = "990102", birth: str = "19800101") -> str:
    """A valid 身份证号 (GB 11643 check character), different on every call."""
    first17 = f"{area}{birth}{next(_sequence) % 1000:03d}"
    return first17 + id_check_character(first17)


class RepresentativeFactory(DjangoModelFactory[Representative]):
    class Meta:
        model = Representative

    name = factory.Sequence(lambda n: f"代表{n}")
    gender = Gender.MALE
    region = None
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    id_number = factory.LazyFunction(id_number)


class StationFactory(DjangoModelFactory[Station]):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"联络站{n}")
    kind = StationKind.STATION
    region = None
    address = "人民路1号"
    phone = "0518-80000000"


def seat(rep: Representative, region: Region, level: str | None = None) -> Mandate:
    """A live seat in the congress of ``region`` (its current term)."""
    congress = region.congress
    mandate = Mandate.objects.create(
        representative=rep,
        level=level or congress.level,
        term=congress.current_term(),
        starts_on=datetime.date(2022, 1, 1),
    )
    seat_counts_refresh([rep.region])  # as the services do (representatives/seat_counts.py)
    return mandate


def national_seat(rep: Representative) -> Mandate:
    mandate = Mandate.objects.create(
        representative=rep, level=CongressLevel.NATIONAL, starts_on=datetime.date(2023, 3, 5)
    )
    seat_counts_refresh([rep.region])
    return mandate


def station_with(region: Region, reps: list[Representative], **kwargs: object) -> Station:
    station = StationFactory(region=region, **kwargs)
    StationMember.objects.bulk_create(
        [StationMember(station=station, representative=rep) for rep in reps]
    )
    return station
