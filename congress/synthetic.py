"""A synthetic city or province at real size, for benchmarks (``manage.py generate_city``).

The demo (``congress.demo``) plays a few hundred cases through the services; a
province has millions, and one service step costs tens of queries. So the
generator writes the rows the services would have left, in bulk: PostgreSQL
``COPY`` (or ``executemany`` on SQLite), one transaction per batch, primary keys
allocated here so that a region's materialized path, a problem's timeline and its
closed-loop steps are known before anything is written.

The core builds the jurisdiction tree, the congresses with their terms and
sessions, the departments and the staff and clerk accounts; feature apps add their
own rows through ``register_synthetic_builder`` (registered in ``AppConfig.ready``,
as the demo builders are). Division codes start with 98 (89 for a tenth run in the
same database), which no real province uses, and usernames with ``gen``: that is
how ``holds_foreign_data`` tells generated data from real data.

Not written, unlike the services: audit rows, inbox notifications and reminder
rows of the past (the reminder queue, ``next_reminder_at``, is set from now on).
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import io
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from congress.models import Congress as CongressModel
from congress.models import (
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
from congress.models.regions import SEGMENT_WIDTH, WorkingCommittee
from congress.workdays import Deadline, add_deadline

ROOT_CODES = [f"{98 - run:02d}0000000000" for run in range(10)]
USERNAME_PREFIX = "gen"
# Made unusable: a generated database is for measuring, nobody signs in to it with a
# password (the benchmarks use a logged-in client; ``changepassword`` gives one).
UNUSABLE_PASSWORD = "!generated"  # noqa: S105 - "!" marks an unusable hash
# Tables below this many 8 kB pages (800 MB) are vacuumed after a run: all but the
# cases' events, steps and problems in a province of five million.
VACUUMED_PAGES = 100_000


@dataclass(frozen=True)
class Scale:
    """How big: cities under the province, and the shape of each city."""

    cities: int
    counties: int  # per city
    towns: int  # per county
    villages: int  # per town
    grids: int  # per village
    problems: int
    suggestions: int
    # Representatives per congress, by level (a city's, a county's, a township's).
    city_seats: int = 550
    county_seats: int = 260
    township_seats: int = 55
    # Villages with a station or contact point of their own (besides each town's home).
    station_share: float = 0.7
    # On PostgreSQL, problems told in Python before the rest are copied from them
    # (``run_parallel``): about two per station, so that the copies reach every station.
    template: int = 10_000


# 连云港: 7,624 representatives at all levels; 海门: 11 homes and 123 stations in a
# district. A city: 8 county-level areas of 12 towns of 15 villages. A province:
# 13 such cities (about 100,000 representatives, 20,000 stations: every village has one).
SCALES = {
    # For tests and the CI-sized benchmark run: the same shape, a few of everything.
    "tiny": Scale(
        cities=1,
        counties=4,
        towns=2,
        villages=3,
        grids=2,
        problems=500,
        suggestions=50,
        city_seats=40,
        county_seats=20,
        township_seats=8,
    ),
    "city": Scale(
        cities=1,
        counties=8,
        towns=12,
        villages=15,
        grids=4,
        problems=200_000,
        suggestions=12_000,
        county_seats=280,
        township_seats=65,
    ),
    "province": Scale(
        cities=13,
        counties=8,
        towns=12,
        villages=15,
        grids=4,
        problems=5_000_000,
        suggestions=300_000,
        county_seats=260,
        township_seats=65,
        station_share=1.0,  # issue 13: about 20,000 stations in a province
        template=40_000,
    ),
}

CITY_DEPARTMENTS = [
    ("人民政府办公室", "政府办"),
    ("发展和改革委员会", "发改委"),
    ("教育局", "教育局"),
    ("公安局", "公安局"),
    ("民政局", "民政局"),
    ("人力资源和社会保障局", "人社局"),
    ("自然资源和规划局", "自然资源局"),
    ("生态环境局", "生态环境局"),
    ("住房和城乡建设局", "住建局"),
    ("交通运输局", "交通局"),
    ("水利局", "水利局"),
    ("农业农村局", "农业农村局"),
    ("卫生健康委员会", "卫健委"),
    ("应急管理局", "应急局"),
    ("市场监督管理局", "市场监管局"),
    ("城市管理局", "城管局"),
]
COUNTY_DEPARTMENTS = CITY_DEPARTMENTS[:1] + [
    (name, short)
    for name, short in CITY_DEPARTMENTS
    if short in {"教育局", "民政局", "住建局", "交通局", "卫生局", "卫健委", "城管局", "人社局"}
]
CITY_STEMS = [
    "青川",
    "临海",
    "云泉",
    "白水",
    "丰宁",
    "安澜",
    "石城",
    "清河",
    "兴隆",
    "长平",
    "东津",
    "西岭",
    "南湖",
]
TOWN_STEMS = [
    "青口",
    "板浦",
    "新浦",
    "朝阳",
    "花果",
    "白塔",
    "宁海",
    "浦南",
    "东辛",
    "墟沟",
    "中云",
    "南城",
    "黄川",
    "沙河",
    "石桥",
    "三口",
]
VILLAGE_STEMS = [
    "东岭",
    "西湖",
    "南庄",
    "北营",
    "前进",
    "红星",
    "新华",
    "桃园",
    "柳河",
    "杨集",
    "王圩",
    "张庄",
    "李湾",
    "陈埠",
    "刘圩",
    "徐楼",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "建国秀英志强丽华海燕晓东桂芳德胜淑珍春梅玉兰文明红霞永刚凤英子豪雨欣"


# --- writing rows in bulk --------------------------------------------------------------------


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime.date):  # and datetime: ISO with its offset
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, UUID):
        return str(value)
    return str(value).translate(_ESCAPES)


def _copy_converter(f: models.Field[Any, Any]) -> Callable[[Any], str]:
    """The fastest ``_copy_text`` for one column: chosen once per column, not per value.

    A JSON column takes its value already encoded (a ``str``, see ``Rows``) or a
    dict or list to encode."""
    internal = f.get_internal_type()
    convert: Callable[[Any], str]
    if internal in _INTEGER_TYPES or f.is_relation:
        convert = str
    elif internal in ("CharField", "TextField", "SlugField", "EmailField", "URLField"):

        def convert(value: Any) -> str:
            return value.translate(_ESCAPES)

    elif internal in ("DateTimeField", "DateField"):

        def convert(value: Any) -> str:
            return value.isoformat()

    elif internal == "JSONField":

        def convert(value: Any) -> str:
            if not isinstance(value, str):
                value = json.dumps(value, ensure_ascii=False)
            return value.translate(_ESCAPES)

    else:
        convert = _copy_text
    if not f.null or convert is _copy_text:
        return convert

    def nullable(value: Any) -> str:
        return "\\N" if value is None else convert(value)

    return nullable


_INTEGER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


def _sqlite_value(value: Any) -> Any:
    """One value as Django stores it on SQLite (UTC text, UUID hex, JSON text)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return connection.ops.adapt_timefield_value(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, UUID):
        return value.hex
    if isinstance(value, Decimal):
        return str(value)
    return value


# Rows written so far, by table (for the progress report).
WRITTEN: collections.Counter[str] = collections.Counter()
# Tables holding copies made by the database, and the first copied id of each (set by
# the builder that copies; read by the key check at the end).
COPIES: dict[str, int] = {}
# Rows gathered before a write: PostgreSQL's COPY streams them in chunks of this many.
COPY_CHUNK = 100_000


class Rows:
    """Rows of one model, gathered as tuples in ``columns`` order and written in bulk.

    Every other concrete column gets its field's constant default; a column whose
    default is callable (a token, a timestamp; not an empty JSON ``dict`` or ``list``)
    must be among ``columns``. A JSON
    column may be given its text already encoded (a ``str``): the hot paths write
    ``{"k": "v"}`` with an f-string rather than ``json.dumps`` per row.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
        self.fields = [fields[name] for name in columns]
        self.constants: list[tuple[models.Field[Any, Any], Any]] = []
        for name, f in fields.items():
            if name in columns:
                continue
            # An empty JSON default (``default=dict``) is the same value on every row.
            per_row = f.has_default() and callable(f.default) and f.default not in (dict, list)
            if per_row or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                if not f.null:
                    raise ValueError(f"{model.__name__}.{name} needs a value per row")
                continue  # nullable: left NULL (no default applies)
            if f.primary_key:
                continue  # the database's sequence
            self.constants.append((f, f.get_default()))
        self.converters = [_copy_converter(f) for f in self.fields]
        self.json_columns = [
            n for n, f in enumerate(self.fields) if isinstance(f, models.JSONField)
        ]
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, *values: Any) -> None:
        self.rows.append(values)

    def __len__(self) -> int:
        return len(self.rows)

    def _copy_lines(self, tail: str) -> io.StringIO:
        converters = self.converters
        join = "\t".join
        lines = [
            join([convert(value) for convert, value in zip(converters, row, strict=True)])
            for row in self.rows
        ]
        lines.append("")
        return io.StringIO((tail + "\n").join(lines))

    def _sqlite_rows(self, constants: tuple[Any, ...]) -> list[list[Any]]:
        json_columns = self.json_columns
        out = []
        for row in self.rows:
            values = [_sqlite_value(value) for value in row]
            for n in json_columns:  # given encoded: stored as is
                if isinstance(row[n], str):
                    values[n] = row[n]
            out.append(values + [_sqlite_value(value) for value in constants])
        return out

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        quote = connection.ops.quote_name
        names = [f.column for f in self.fields] + [f.column for f, _v in self.constants]
        constants = tuple(value for _f, value in self.constants)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tail = "".join("\t" + _copy_text(value) for value in constants)
                columns = ", ".join(quote(name) for name in names)
                sql = f"COPY {quote(table)} ({columns}) FROM STDIN"
                cursor.cursor.copy_expert(sql, self._copy_lines(tail), size=1 << 20)
            else:
                sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - model names only
                    quote(table),
                    ", ".join(quote(name) for name in names),
                    ", ".join(["%s"] * len(names)),
                )
                cursor.executemany(sql, self._sqlite_rows(constants))
        self.written += len(self.rows)
        WRITTEN[self.model._meta.db_table] += len(self.rows)
        self.rows = []


class Ids:
    """Primary keys handed out before the rows are written (the tables hold only
    generated rows, or rows below these numbers); sequences are reset at the end."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {}
        self.used: set[type[models.Model]] = set()

    def take(self, model: type[models.Model], count: int = 1) -> int:
        """The first of ``count`` consecutive new primary keys of ``model``."""
        if model not in self.next:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self.next[model] = int(top) + 1
        first = self.next[model]
        self.next[model] = first + count
        self.used.add(model)
        return first

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.used))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class DeferredIndexes:
    """Indexes of the big tables dropped while they fill and built again at the end,
    each from its own ``pg_get_indexdef`` (the same name, columns, condition, method):
    one sort per index instead of millions of insertions. Only plain indexes: the
    primary key, unique indexes and those backing a constraint stay (and are checked
    row by row). PostgreSQL only; a table that already holds more rows than are
    coming keeps its indexes (a rebuild would cost more than it saves)."""

    def __init__(self) -> None:
        # (model, its declared Index or PostgreSQL's CREATE INDEX statement)
        self.definitions: list[tuple[type[models.Model], models.Index | str]] = []

    def defer(self, model: type[models.Model], coming: int) -> None:
        # Inside a caller's transaction (a test's) the rows' pending key checks would
        # forbid the CREATE INDEX: the indexes stay.
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM (SELECT 1 FROM %s LIMIT %%s) t" % table, [coming])  # noqa: S608,UP031 - a model's table
            if cursor.fetchone()[0] >= coming:
                return
            cursor.execute(
                """
                SELECT c.relname, pg_get_indexdef(i.indexrelid)
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                ORDER BY c.relname
                """,
                [table],
            )
            found = cursor.fetchall()
            # A declared index is built again by the schema editor, with the SQL its
            # migration ran: PostgreSQL prints a partial index's condition in a form
            # that, run again, would be stored a little differently.
            declared = {index.name: index for index in model._meta.indexes}
            for name, definition in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                self.definitions.append((model, declared.get(name) or definition))

    def rebuild(
        self, report: Callable[[str], None] = lambda line: None, *, sessions: int = 2
    ) -> None:
        """Build the dropped indexes again, the largest tables' first, in ``sessions``
        database sessions at once (one CREATE INDEX sorts on one core; the machine has
        two). An index not built (an error) stays in ``definitions``."""
        if not self.definitions:
            return
        import threading

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c WHERE c.relname = ANY(%s)",
                [sorted({model._meta.db_table for model, _d in self.definitions})],
            )
            size = dict(cursor.fetchall())
        self.definitions.sort(key=lambda entry: -size.get(entry[0]._meta.db_table, 0))
        queue = list(self.definitions)
        lock = threading.Lock()
        failures: list[BaseException] = []

        def build_one(model: type[models.Model], definition: models.Index | str) -> None:
            started = time.perf_counter()
            if isinstance(definition, str):
                with connection.cursor() as cursor:
                    cursor.execute(definition)
                name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
            else:
                with connection.schema_editor(atomic=False) as editor:
                    editor.add_index(model, definition)
                name = definition.name
            with lock:
                self.definitions.remove((model, definition))
            report(f"  index {name}: {time.perf_counter() - started:.1f} s")

        def worker(own_session: bool) -> None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SET maintenance_work_mem TO '512MB'")
                while not failures:
                    with lock:
                        if not queue:
                            return
                        model, definition = queue.pop(0)
                    build_one(model, definition)
            except BaseException as error:  # reported in the caller's thread
                failures.append(error)
            finally:
                if own_session:
                    connection.close()

        threads = [
            threading.Thread(target=worker, args=(True,)) for _n in range(max(0, sessions - 1))
        ]
        for thread in threads:
            thread.start()
        worker(False)  # this session is one of them
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]


def write(*tables: Rows) -> None:
    """One batch: every table's gathered rows in one transaction."""
    with transaction.atomic():
        for rows in tables:
            rows.flush()


# --- the context shared by the builders ------------------------------------------------------


@dataclass
class City:
    region: Region
    counties: list[Region] = field(default_factory=list)
    towns: list[Region] = field(default_factory=list)
    villages: list[Region] = field(default_factory=list)
    grids: list[Region] = field(default_factory=list)


@dataclass
class SyntheticContext:
    rng: random.Random
    seed: int
    scale: Scale
    problems: int
    suggestions: int
    now: datetime.datetime
    today: datetime.date
    run: int
    ids: Ids = field(default_factory=Ids)
    province: Region | None = None
    cities: list[City] = field(default_factory=list)
    regions: dict[int, Region] = field(default_factory=dict)
    congresses: dict[int, CongressModel] = field(default_factory=dict)  # by region id
    terms: dict[int, Term] = field(default_factory=dict)  # current term, by region id
    sessions: dict[int, list[Session]] = field(default_factory=dict)  # plenary, by region id
    departments: dict[int, list[Department]] = field(default_factory=dict)  # by region id
    staff: dict[int, list[User]] = field(default_factory=dict)  # staff users, by region id
    clerks: dict[int, User] = field(default_factory=dict)  # a handler, by department id
    names: dict[int, str] = field(default_factory=dict)  # display name, by user id
    extra: dict[str, Any] = field(default_factory=dict)  # for builders to share
    timings: list[tuple[str, float, int]] = field(default_factory=list)
    deferred: DeferredIndexes = field(default_factory=DeferredIndexes)
    report: Callable[[str], None] = lambda line: None
    deadlines: dict[tuple[datetime.date, int, str], datetime.date] = field(default_factory=dict)
    # Cases written in Python before the rest are copied by PostgreSQL (see ``run_parallel``).
    template: int = 10_000

    def username(self, name: str) -> str:
        return f"{USERNAME_PREFIX}{self.run}_{name}"

    def person_name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))

    def region_of(self, region_id: int) -> Region:
        return self.regions[region_id]

    def staff_region_id(self, region_id: int) -> int:
        """The nearest region at or above this one with staff (``staff_region_for``)."""
        for ancestor in reversed(self.regions[region_id].ancestor_ids()):
            if ancestor in self.staff:
                return ancestor
        return region_id

    def due(self, start: datetime.date, amount: int, unit: str) -> datetime.date:
        """``add_deadline`` on the official calendar, counted once per start day."""
        key = (start, amount, unit)
        if key not in self.deadlines:
            self.deadlines[key] = add_deadline(start, Deadline(amount, unit))  # type: ignore[arg-type]
        return self.deadlines[key]


@dataclass(frozen=True)
class SyntheticBuilder:
    name: str
    build: Callable[[SyntheticContext], None]
    order: int = 100


synthetic_builders: list[SyntheticBuilder] = []


def register_synthetic_builder(builder: SyntheticBuilder) -> None:
    if all(existing.name != builder.name for existing in synthetic_builders):
        synthetic_builders.append(builder)
        synthetic_builders.sort(key=lambda entry: entry.order)


# --- what the database holds already -------------------------------------------------------


def synthetic_roots() -> list[Region]:
    return list(Region.objects.filter(parent__isnull=True, code__in=ROOT_CODES))


def holds_foreign_data() -> bool:
    """Regions or accounts that this generator did not make (a real office's, the demo's)."""
    roots = synthetic_roots()
    foreign = Region.objects.all()
    for root in roots:
        foreign = foreign.exclude(path__startswith=root.path)
    return foreign.exists() or User.objects.exclude(username__startswith=USERNAME_PREFIX).exists()


def next_run() -> int:
    taken = {root.code for root in synthetic_roots()}
    for run, code in enumerate(ROOT_CODES):
        if code not in taken:
            return run
    raise ValueError("ten generated provinces in one database: use a fresh database")


# --- the core's rows ---------------------------------------------------------------------------


def _region(
    ctx: SyntheticContext,
    rows: Rows,
    name: str,
    level: str,
    parent: Region | None,
    code: str | None,
) -> Region:
    pk = ctx.ids.take(Region)
    prefix = parent.path if parent is not None else "/"
    path = f"{prefix}{pk:0{SEGMENT_WIDTH}x}/"
    region = Region(
        pk=pk,
        name=name,
        level=level,
        code=code,
        parent=parent,
        path=path,
        depth=path.count("/") - 2,
    )
    rows.add(pk, name, level, code, parent.pk if parent else None, path, region.depth)
    ctx.regions[pk] = region
    return region


def build_regions(ctx: SyntheticContext) -> None:
    """The province, its cities and below: counties, towns, villages, grids."""
    scale = ctx.scale
    rows = Rows(Region, ["id", "name", "level", "code", "parent_id", "path", "depth"])
    province_code = ROOT_CODES[ctx.run]
    ctx.province = _region(ctx, rows, "东川省", RegionLevel.PROVINCE, None, province_code)
    for c in range(scale.cities):
        code = province_code[:2] + f"{c + 1:02d}"
        city = City(
            _region(
                ctx, rows, f"{CITY_STEMS[c % len(CITY_STEMS)]}市", RegionLevel.CITY, ctx.province,
                code + "00000000",
            )
        )  # fmt: skip
        ctx.cities.append(city)
        for k in range(scale.counties):
            county_name = f"{TOWN_STEMS[(c + k) % len(TOWN_STEMS)]}{'区' if k < 3 else '县'}"
            county = _region(
                ctx, rows, county_name, RegionLevel.COUNTY, city.region, f"{code}{k + 1:02d}000000"
            )
            city.counties.append(county)
            for t in range(scale.towns):
                suffix = "街道" if k < 3 and t < scale.towns // 2 else "镇"
                town = _region(
                    ctx,
                    rows,
                    f"{TOWN_STEMS[(t + k) % len(TOWN_STEMS)]}{t + 1}{suffix}",
                    RegionLevel.TOWNSHIP,
                    county,
                    f"{code}{k + 1:02d}{t + 1:03d}000",
                )
                city.towns.append(town)
                kind = "社区" if suffix == "街道" else "村"
                for v in range(scale.villages):
                    village = _region(
                        ctx,
                        rows,
                        f"{VILLAGE_STEMS[(v + t) % len(VILLAGE_STEMS)]}{v + 1}{kind}",
                        RegionLevel.VILLAGE,
                        town,
                        f"{code}{k + 1:02d}{t + 1:03d}{v + 1:03d}",
                    )
                    city.villages.append(village)
                    for g in range(scale.grids):
                        grid = _region(
                            ctx,
                            rows,
                            f"{village.name}第{g + 1}网格",
                            RegionLevel.GRID,
                            village,
                            None,
                        )
                        city.grids.append(grid)
        write(rows)


def build_congresses(ctx: SyntheticContext) -> None:
    """A congress for the province, each city, county and town (镇; a 街道 has none, but
    its 人大工委 under the district's congress),
    each with its current term and the plenary sessions of the term so far."""
    congresses = Rows(CongressModel, ["id", "region_id", "name", "level"])
    terms = Rows(Term, ["id", "congress_id", "number", "starts_on", "ends_on"])
    sessions = Rows(Session, ["id", "term_id", "kind", "number", "opens_on", "closes_on"])
    places: list[tuple[Region, str, int, datetime.date]] = []
    assert ctx.province is not None
    places.append((ctx.province, CongressLevel.PROVINCE, 14, datetime.date(2023, 1, 15)))
    for city in ctx.cities:
        places.append((city.region, CongressLevel.CITY, 17, datetime.date(2022, 1, 8)))
        places += [
            (c, CongressLevel.COUNTY, 18, datetime.date(2021, 12, 20)) for c in city.counties
        ]
        places += [
            (t, CongressLevel.TOWNSHIP, 18, datetime.date(2021, 12, 10))
            for t in city.towns
            if t.name.endswith("镇")
        ]
    for region, level, number, starts in places:
        congress = CongressModel(
            pk=ctx.ids.take(CongressModel),
            region=region,
            name=f"{region.name}人民代表大会",
            level=level,
        )
        congresses.add(congress.pk, region.pk, congress.name, level)
        term = Term(pk=ctx.ids.take(Term), congress=congress, number=number, starts_on=starts)
        terms.add(term.pk, congress.pk, number, starts, None)
        ctx.congresses[region.pk] = congress
        ctx.terms[region.pk] = term
        ctx.sessions[region.pk] = []
        for n, year in enumerate(range(starts.year + 1, ctx.today.year + 2), start=1):
            opens = datetime.date(year, 1, 8)
            session = Session(
                pk=ctx.ids.take(Session),
                term=term,
                kind=SessionKind.PLENARY,
                number=n,
                opens_on=opens,
                closes_on=opens + datetime.timedelta(days=4),
            )
            sessions.add(session.pk, term.pk, session.kind, n, opens, session.closes_on)
            ctx.sessions[region.pk].append(session)
    # Each 街道's 人大工委, under its district's (county's) congress.
    committees = Rows(WorkingCommittee, ["id", "region_id", "congress_id", "name"])
    for city in ctx.cities:
        names = {c.pk: c.name for c in city.counties}
        for town in city.towns:
            if town.name.endswith("镇") or town.parent_id not in ctx.congresses:
                continue
            county = names.get(town.parent_id or 0, "")
            committees.add(
                ctx.ids.take(WorkingCommittee),
                town.pk,
                ctx.congresses[town.parent_id or 0].pk,
                f"{county}人大常委会{town.name}工作委员会",
            )
    write(congresses, terms, sessions, committees)


def build_departments(ctx: SyntheticContext) -> None:
    """Each city's and county's government departments under its office (the escalation
    parent), and each town's government or sub-district office."""
    rows = Rows(Department, ["id", "name", "short_name", "kind", "region_id", "parent_id"])

    def add(
        region: Region, name: str, short: str, kind: str, parent: Department | None
    ) -> Department:
        department = Department(
            pk=ctx.ids.take(Department), name=name, short_name=short, kind=kind, region=region
        )
        rows.add(department.pk, name, short, kind, region.pk, parent.pk if parent else None)
        ctx.departments.setdefault(region.pk, []).append(department)
        return department

    for city in ctx.cities:
        for place in [city.region, *city.counties]:
            (office_name, office_short), *others = (
                CITY_DEPARTMENTS if place is city.region else COUNTY_DEPARTMENTS
            )
            office = add(
                place, f"{place.name}{office_name}", office_short, DepartmentKind.GOVERNMENT, None
            )
            for name, short in others:
                add(place, f"{place.name}{name}", short, DepartmentKind.GOVERNMENT, office)
            for town in [t for t in city.towns if t.parent_id == place.pk]:
                kind_name = "办事处" if town.name.endswith("街道") else "人民政府"
                add(town, f"{town.name}{kind_name}", "", DepartmentKind.TOWNSHIP, office)
    write(rows)


def build_accounts(ctx: SyntheticContext) -> None:
    """Staff of each city and county (two each) and town (one); a clerk per department."""
    users = Rows(
        User,
        ["id", "password", "username", "display_name", "is_superuser", "is_staff", "is_active",
         "date_joined", "first_name", "last_name", "email"],
    )  # fmt: skip
    grants = Rows(RoleGrant, ["id", "user_id", "role", "region_id", "department_id", "granted_at"])

    def account(name: str, display: str) -> User:
        user = User(pk=ctx.ids.take(User), username=ctx.username(name), display_name=display)
        ctx.names[user.pk] = display
        users.add(
            user.pk,
            UNUSABLE_PASSWORD,
            user.username,
            display,
            False,
            False,
            True,
            ctx.now,
            "",
            "",
            "",
        )
        return user

    for city in ctx.cities:
        places = [(city.region, 2), *((c, 2) for c in city.counties), *((t, 1) for t in city.towns)]
        for region, count in places:
            for n in range(count):
                user = account(f"staff_{region.pk}_{n + 1}", ctx.person_name())
                grants.add(ctx.ids.take(RoleGrant), user.pk, Role.STAFF, region.pk, None, ctx.now)
                ctx.staff.setdefault(region.pk, []).append(user)
    for region_departments in ctx.departments.values():
        for department in region_departments:
            user = account(f"clerk_{department.pk}", ctx.person_name())
            grants.add(ctx.ids.take(RoleGrant), user.pk, Role.HANDLER, None, department.pk, ctx.now)
            ctx.clerks[department.pk] = user
    write(users, grants)


CORE_STEPS: list[tuple[str, Callable[[SyntheticContext], None]]] = [
    ("regions", build_regions),
    ("congresses", build_congresses),
    ("departments", build_departments),
    ("accounts", build_accounts),
]


def generate(
    *,
    scale: str,
    problems: int | None = None,
    suggestions: int | None = None,
    seed: int = 2026,
    template: int | None = None,
    now: datetime.datetime | None = None,
    report: Callable[[str], None] = lambda line: None,
) -> SyntheticContext:
    """Build one synthetic province (one city, or 13 for ``province``) in this database."""
    shape = SCALES[scale]
    now = now or timezone.now()
    ctx = SyntheticContext(
        rng=random.Random(seed),
        seed=seed,
        scale=shape,
        problems=shape.problems if problems is None else problems,
        suggestions=shape.suggestions if suggestions is None else suggestions,
        now=now,
        today=timezone.localdate(now),
        run=next_run(),
        template=shape.template if template is None else template,
    )
    ctx.report = report
    steps: Iterable[tuple[str, Callable[[SyntheticContext], None]]] = [
        *CORE_STEPS,
        *((b.name, b.build) for b in synthetic_builders),
    ]
    COPIES.clear()
    with _fast_session(report):
        try:
            for name, build in steps:
                before = dict(WRITTEN)
                started = time.perf_counter()
                build(ctx)
                # Keys taken here are above the sequences: the next builder's services
                # (the vote's) take theirs from the sequences.
                ctx.ids.reset_sequences()
                seconds = time.perf_counter() - started
                rows = {t: n - before.get(t, 0) for t, n in WRITTEN.items() if n > before.get(t, 0)}
                total = sum(rows.values())
                ctx.timings.append((name, seconds, total))
                report(
                    f"{name}: {seconds:.1f} s, {total:,} rows ({total / max(seconds, 1e-3):,.0f}/s)"
                )
                for table, n in sorted(rows.items(), key=lambda item: -item[1]):
                    report(f"  {table}: {n:,}")
        finally:
            started = time.perf_counter()
            ctx.deferred.rebuild(report)
            if time.perf_counter() - started > 0.05:
                ctx.timings.append(("indexes", time.perf_counter() - started, 0))
                report(f"indexes: {time.perf_counter() - started:.1f} s")
    ctx.ids.reset_sequences()
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            # Rows copied in bulk are not yet marked all-visible, so an index-only
            # scan still reads their heap pages until autovacuum comes by: the
            # ranking over the representatives and their seats, the stations and
            # the grids did. The reference tables and the summaries are small (under
            # a few seconds in all for a province); the cases' tables are left to
            # autovacuum. (Not inside a transaction, where VACUUM cannot run: a test's.)
            tables: list[tuple[str]] = []
            if not connection.in_atomic_block:
                cursor.execute(
                    "SELECT c.relname FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relpages < %s",
                    [VACUUMED_PAGES],
                )
                tables = cursor.fetchall()
            for (table,) in tables:
                cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
        report(f"analyze and vacuum: {time.perf_counter() - started:.1f} s")
    return ctx


# (the statements, each an SQL text and the table it fills; their parameters)
CloneJob = tuple[Sequence[tuple[str, str]], dict[str, Any]]


def run_parallel(ctx: SyntheticContext, jobs: Sequence[CloneJob], *, sessions: int = 2) -> None:
    """Run set-based copies (``INSERT … SELECT`` statements) on PostgreSQL, each job's
    statements in one transaction, in ``sessions`` database sessions at once: one
    statement runs on one core, and the machine has two. Each session commits without
    waiting for the disk and, for a superuser, skips the per-row key checks as the
    main session does (``_fast_session``; ``check_foreign_keys`` runs at the end).
    Inside a caller's transaction (a test's) the jobs run one after the other in it,
    where the rows are visible to the test."""
    import threading

    if not jobs:
        return
    started = time.perf_counter()
    done: list[int] = []

    def run(job: CloneJob) -> None:
        statements, params = job
        with transaction.atomic(), connection.cursor() as cursor:
            for table, sql in statements:
                cursor.execute(sql, params)
                WRITTEN[table] += cursor.rowcount
        done.append(1)
        ctx.report(
            f"  copies {len(done)}/{len(jobs)} (blocks {params['low']}–{params['high']}):"
            f" {time.perf_counter() - started:.0f} s"
        )

    if connection.in_atomic_block or sessions < 2:
        for job in jobs:
            run(job)
        return
    queue = list(jobs)
    lock = threading.Lock()
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
                cursor.execute("SELECT current_setting('is_superuser') = 'on'")
                if cursor.fetchone()[0]:
                    cursor.execute("SET session_replication_role TO replica")
                    # Less to write: the index pages logged whole after each checkpoint.
                    cursor.execute("SET wal_compression TO on")
            while not failures:
                with lock:
                    if not queue:
                        return
                    job = queue.pop(0)
                run(job)
        except BaseException as error:  # reported in the caller's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


@contextlib.contextmanager
def _fast_session(report: Callable[[str], None] = lambda line: None) -> Iterator[None]:
    """PostgreSQL: commits of generated batches do not wait for the disk
    (``synchronous_commit``; a crash loses the last batches, not consistency), and,
    for a superuser, the foreign keys of the rows written in bulk are checked once at
    the end (``check_foreign_keys``: one anti-join per key) instead of one lookup per
    row at each commit (``session_replication_role``; the project has no triggers of
    its own, only the keys' internal ones). Nothing the migrations made is changed."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        replica = bool(cursor.fetchone()[0])
        if replica:
            cursor.execute("SET session_replication_role TO replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
            if replica:
                cursor.execute("RESET session_replication_role")
    if replica:
        started = time.perf_counter()
        check_foreign_keys(sorted(WRITTEN), copies=COPIES)
        report(f"foreign keys checked: {time.perf_counter() - started:.1f} s")


def check_foreign_keys(tables: Sequence[str], *, copies: dict[str, int] | None = None) -> None:
    """Every foreign key of these tables points at a row (what the skipped per-row
    checks would have refused). Raises ``ValueError`` naming the first broken key.

    ``copies``: tables whose rows from this id on are copies made by the database
    (``run_parallel``): their keys are their template's, checked with it, so only the
    rows below are read (the copies' own links are proven by the generator's tests)."""
    copies = copies or {}
    from django.apps import apps

    quote = connection.ops.quote_name
    by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    with connection.cursor() as cursor:
        for table in tables:
            model = by_table.get(table)
            if model is None:
                continue
            for f in model._meta.concrete_fields:
                if not isinstance(f, models.ForeignKey) or not f.db_constraint:  # type: ignore[attr-defined]
                    continue
                target = f.target_field.model._meta
                target_column = f.target_field.column
                below = (
                    f"AND c.{quote(model._meta.pk.column)} < {int(copies[table])} "
                    if table in copies
                    else ""
                )
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} c WHERE c.{quote(f.column)} IS NOT NULL "  # noqa: S608 - model names only
                    f"{below}AND NOT EXISTS (SELECT 1 FROM {quote(target.db_table)} p "
                    f"WHERE p.{quote(target_column)} = c.{quote(f.column)}) LIMIT 1"
                )
                if cursor.fetchone() is not None:
                    raise ValueError(
                        f"{table}.{f.column} points at a missing {target.db_table} row"
                    )
