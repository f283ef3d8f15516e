"""Synthetic representatives, seats, accounts, stations and grids (``generate_city``).

Seats follow the seeds' proportions: every town (镇) elects its own congress, every
county-level area its congress, the city's representatives are mostly county
representatives as well, and the province's and the nation's are drawn from the
city's. A representative is registered in the village (township seat), the town
(county seat) or the county (city seat) that elected them; about 70% have a login.
Each town has its 代表之家 with eight members, most villages a station or a
contact point with three to five, and every grid a responsible representative (责任田).
"""

from __future__ import annotations

import base64
import datetime
import hashlib

from congress.areas import AREA_FIELDS, area_columns
from congress.models import CongressLevel, Region, User
from congress.synthetic import UNUSABLE_PASSWORD, City, Rows, SyntheticContext, write
from representatives.models import (
    GridAssignment,
    Mandate,
    Party,
    Representative,
    Sector,
    Station,
    StationKind,
    StationMember,
    StationRole,
)

SECTORS = [Sector.OTHER, *Sector.values]
PARTIES = [Party.CPC] * 7 + list(Party.values)
OCCUPATIONS = ["村党支部书记", "社区居委会主任", "教师", "医生", "企业负责人", "农民", "工人"]


def token(ctx: SyntheticContext, kind: str, pk: int) -> str:
    """A public token as ``new_public_token`` gives (32 URL-safe characters), repeatable
    for a seed."""
    digest = hashlib.blake2b(f"{ctx.seed}:{kind}:{pk}".encode(), digest_size=24).digest()
    return base64.urlsafe_b64encode(digest).decode()


class _Tables:
    def __init__(self) -> None:
        self.users = Rows(
            User,
            ["id", "password", "username", "display_name", "is_superuser", "is_staff",
             "is_active", "date_joined", "first_name", "last_name", "email"],
        )  # fmt: skip
        self.people = Rows(
            Representative,
            ["id", "name", "gender", "birth_year", "party", "sector", "occupation", "workplace",
             "region_id", "user_id", "public_token", "created_at", "updated_at", *AREA_FIELDS],
        )  # fmt: skip
        self.mandates = Rows(Mandate, ["id", "representative_id", "level", "term_id", "starts_on"])
        self.stations = Rows(
            Station,
            ["id", "name", "kind", "region_id", "address", "opening_hours", "public_token",
             "created_at", *AREA_FIELDS],
        )  # fmt: skip
        self.station_grids = Rows(Station.grids.through, ["station_id", "region_id"])
        self.members = Rows(
            StationMember, ["id", "station_id", "representative_id", "role", "joined_on"]
        )
        self.grids = Rows(GridAssignment, ["id", "representative_id", "grid_id", "starts_on"])

    def all(self) -> list[Rows]:
        return [
            self.users,
            self.people,
            self.mandates,
            self.stations,
            self.station_grids,
            self.members,
            self.grids,
        ]


def _person(ctx: SyntheticContext, t: _Tables, region: Region) -> int:
    rng = ctx.rng
    pk = ctx.ids.take(Representative)
    name = ctx.person_name()
    user_id = None
    if rng.random() < 0.7:
        user_id = ctx.ids.take(User)
        t.users.add(
            user_id, UNUSABLE_PASSWORD, ctx.username(f"rep_{pk}"), name, False, False, True,
            ctx.now, "", "", "",
        )  # fmt: skip
    t.people.add(
        pk,
        name,
        rng.choice(("male", "female")),
        rng.randint(1960, 1995),
        rng.choice(PARTIES),
        rng.choice(SECTORS),
        rng.choice(OCCUPATIONS),
        "",
        region.pk,
        user_id,
        token(ctx, "representative", pk),
        ctx.now,
        ctx.now,
        *area_columns(region).values(),
    )
    ctx.extra["rep_user"][pk] = user_id
    ctx.extra["rep_name"][pk] = name
    if user_id is not None:
        ctx.names[user_id] = name
    ctx.extra["rep_region"][pk] = region.pk
    return pk


def _seat(ctx: SyntheticContext, t: _Tables, rep: int, level: str, region: Region) -> None:
    term = ctx.terms[region.pk]
    t.mandates.add(ctx.ids.take(Mandate), rep, level, term.pk, term.starts_on)
    ctx.extra["seats"].setdefault(region.pk, []).append(rep)


def _city(ctx: SyntheticContext, city: City) -> None:
    rng, scale = ctx.rng, ctx.scale
    t = _Tables()
    villages_of: dict[int, list[Region]] = {}
    for village in city.villages:
        villages_of.setdefault(village.parent_id or 0, []).append(village)
    grids_of: dict[int, list[Region]] = {}
    for grid in city.grids:
        grids_of.setdefault(grid.parent_id or 0, []).append(grid)
    of_town: dict[int, list[int]] = {}
    county_reps: list[int] = []
    for town in city.towns:
        if town.pk in ctx.terms:  # a 镇 with its own congress
            for _n in range(scale.township_seats):
                rep = _person(ctx, t, rng.choice(villages_of[town.pk]))
                _seat(ctx, t, rep, CongressLevel.TOWNSHIP, town)
                of_town.setdefault(town.pk, []).append(rep)
    towns_of = {
        c.pk: [town for town in city.towns if town.parent_id == c.pk] for c in city.counties
    }
    for county in city.counties:
        for _n in range(scale.county_seats):
            town = rng.choice(towns_of[county.pk])
            rep = _person(ctx, t, town)
            _seat(ctx, t, rep, CongressLevel.COUNTY, county)
            of_town.setdefault(town.pk, []).append(rep)
            county_reps.append(rep)
    # City seats: most are county representatives too; the rest only sit in the city's.
    city_reps = rng.sample(county_reps, min(len(county_reps), scale.city_seats * 6 // 10))
    while len(city_reps) < scale.city_seats:
        county = rng.choice(city.counties)
        city_reps.append(_person(ctx, t, county))
    for rep in city_reps:
        _seat(ctx, t, rep, CongressLevel.CITY, city.region)
    assert ctx.province is not None
    for rep in rng.sample(city_reps, max(1, len(city_reps) // 9)):
        _seat(ctx, t, rep, CongressLevel.PROVINCE, ctx.province)
    for rep in rng.sample(city_reps, max(1, len(city_reps) // 100)):
        t.mandates.add(ctx.ids.take(Mandate), rep, CongressLevel.NATIONAL, None, ctx.today)
    _stations(ctx, t, city, villages_of, grids_of, of_town)
    write(*t.all())


def _stations(
    ctx: SyntheticContext,
    t: _Tables,
    city: City,
    villages_of: dict[int, list[Region]],
    grids_of: dict[int, list[Region]],
    of_town: dict[int, list[int]],
) -> None:
    rng = ctx.rng
    joined = datetime.date(2022, 3, 1)
    members: dict[int, list[int]] = ctx.extra["station_members"]
    for town in city.towns:
        people = of_town.get(town.pk) or [rng.choice(ctx.extra["seats"][town.parent_id])]
        places = [(town, StationKind.HOME, f"{town.name}人大代表之家")]
        for village in villages_of[town.pk]:
            if rng.random() < ctx.scale.station_share:
                kind = rng.choice((StationKind.STATION, StationKind.POINT))
                label = "人大代表联络站" if kind == StationKind.STATION else "人大代表联系点"
                places.append((village, kind, f"{village.name}{label}"))
        for region, kind, name in places:
            pk = ctx.ids.take(Station)
            t.stations.add(
                pk, name, kind, region.pk, f"{region.name}综合服务中心", "每月1日、15日 9:00-11:30",
                token(ctx, "station", pk), ctx.now, *area_columns(region).values(),
            )  # fmt: skip
            ctx.extra["stations"].append((pk, region.pk))
            if kind != StationKind.HOME:
                for grid in grids_of[region.pk]:
                    t.station_grids.add(pk, grid.pk)
            chosen = rng.sample(people, min(len(people), 8 if kind == StationKind.HOME else 4))
            members[pk] = chosen
            for n, rep in enumerate(chosen):
                role = StationRole.HEAD if n == 0 else StationRole.MEMBER
                t.members.add(ctx.ids.take(StationMember), pk, rep, role, joined)
        for village in villages_of[town.pk]:
            for grid in grids_of[village.pk]:
                rep = rng.choice(people)
                t.grids.add(ctx.ids.take(GridAssignment), rep, grid.pk, joined)
                ctx.extra["grid_rep"][grid.pk] = rep


def build(ctx: SyntheticContext) -> None:
    for key in ("rep_user", "rep_name", "rep_region", "seats", "grid_rep", "station_members"):
        ctx.extra[key] = {}
    ctx.extra["stations"] = []
    for city in ctx.cities:
        _city(ctx, city)
