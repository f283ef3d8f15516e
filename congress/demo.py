"""The demo city (江海市, fictional): regions, congresses, departments and accounts.

Feature apps add their own demo data through ``register_demo_builder``; each
builder receives the ``DemoContext`` built here. Proportions follow the seeds:
a city of six county-level areas, each with towns, villages and grids.
Division codes start with 99, which no real province uses.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

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
from congress.models.regions import WorkingCommittee

DEMO_PASSWORD = "Demo-2026"  # noqa: S105 - printed for the demo, never used in production

COUNTIES = [
    ("990102", "海州区", "district"),
    ("990103", "临江区", "district"),
    ("990104", "云台区", "district"),
    ("990121", "北湖县", "county"),
    ("990122", "南沙县", "county"),
    ("990181", "东港市", "county"),
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
    "龙苴",
    "石桥",
    "三口",
    "平明",
    "双店",
    "桃林",
    "李埝",
    "房山",
    "安峰",
    "山左",
    "牛山",
    "驼峰",
    "横沟",
    "洪庄",
    "和安",
    "柘汪",
    "赣马",
    "城头",
    "伊山",
    "黑林",
    "班庄",
    "厉庄",
    "门河",
    "塔山",
    "吴山",
    "九里",
    "石梁河",
    "海头",
    "宿城",
    "高公岛",
    "连岛",
    "猴嘴",
    "南岗",
    "新坝",
    "孟兴庄",
    "堆沟港",
    "田楼",
    "汤沟",
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
    "周庄",
    "吴庄",
    "孙集",
    "马庄",
    "朱湾",
    "胡庄",
    "高桥",
    "林场",
    "何圩",
    "郭庄",
    "罗岗",
    "梁集",
    "宋庄",
    "郑圩",
    "谢湖",
    "韩庄",
    "唐庄",
    "冯圩",
    "于湾",
    "董集",
    "萧庄",
    "程圩",
    "曹庄",
    "袁湖",
]

CITY_DEPARTMENTS = [
    ("市发展和改革委员会", "发改委"),
    ("市教育局", "教育局"),
    ("市公安局", "公安局"),
    ("市民政局", "民政局"),
    ("市财政局", "财政局"),
    ("市人力资源和社会保障局", "人社局"),
    ("市自然资源和规划局", "自然资源局"),
    ("市生态环境局", "生态环境局"),
    ("市住房和城乡建设局", "住建局"),
    ("市交通运输局", "交通局"),
    ("市水利局", "水利局"),
    ("市农业农村局", "农业农村局"),
    ("市商务局", "商务局"),
    ("市文化广电和旅游局", "文广旅局"),
    ("市卫生健康委员会", "卫健委"),
    ("市应急管理局", "应急局"),
    ("市市场监督管理局", "市场监管局"),
    ("市城市管理局", "城管局"),
    ("市医疗保障局", "医保局"),
    ("市数据局", "数据局"),
    ("市退役军人事务局", "退役军人局"),
    ("市体育局", "体育局"),
]
COUNTY_DEPARTMENTS = [
    ("教育局", "教育局"),
    ("公安分局", "公安分局"),
    ("民政局", "民政局"),
    ("住房和城乡建设局", "住建局"),
    ("交通运输局", "交通局"),
    ("农业农村局", "农业农村局"),
    ("卫生健康委员会", "卫健委"),
    ("城市管理局", "城管局"),
    ("生态环境分局", "生态环境分局"),
    ("人力资源和社会保障局", "人社局"),
    ("市场监督管理局", "市场监管局"),
    ("水利局", "水利局"),
]


@dataclass
class DemoContext:
    rng: random.Random
    today: datetime.date
    province: Region
    city: Region
    counties: list[Region] = field(default_factory=list)
    towns: list[Region] = field(default_factory=list)
    villages: list[Region] = field(default_factory=list)
    grids: list[Region] = field(default_factory=list)
    congresses: dict[int, Congress] = field(default_factory=dict)  # by region id
    terms: dict[int, Term] = field(default_factory=dict)  # current term by congress id
    departments: list[Department] = field(default_factory=list)
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (username, what it is)
    extra: dict[str, Any] = field(default_factory=dict)  # for builders to share
    # Hashed once: the password hasher is slow on purpose (about 0.3 s a hash).
    password_hash: str = field(default_factory=lambda: make_password(DEMO_PASSWORD))

    def add_account(
        self,
        username: str,
        display_name: str,
        description: str,
        *,
        superuser: bool = False,
    ) -> User:
        user = User(
            username=username, display_name=display_name, is_superuser=superuser, is_staff=superuser
        )
        user.password = self.password_hash
        user.save()
        self.accounts.append((username, description))
        return user


def _region(name: str, level: str, parent: Region | None, code: str | None = None) -> Region:
    region = Region(name=name, level=level, parent=parent, code=code)
    region.save()
    return region


def _grids(grids: list[Region]) -> None:
    """Grids in bulk, with the path and depth ``Region.save`` would give each: they are
    leaves (nothing hangs below them yet), and one save apiece costs four queries."""
    Region.objects.bulk_create(grids, batch_size=500)
    for grid in grids:
        grid.path = grid._computed_path()
        grid.depth = grid.path.count("/") - 2
    Region.objects.bulk_update(grids, ["path", "depth"], batch_size=500)


def _congress(
    ctx: DemoContext, region: Region, level: str, term_number: int, term_start: datetime.date
) -> Congress:
    congress = Congress.objects.create(
        region=region, name=f"{region.name}人民代表大会", level=level
    )
    term = Term.objects.create(congress=congress, number=term_number, starts_on=term_start)
    ctx.congresses[region.pk] = congress
    ctx.terms[congress.pk] = term
    return congress


def build_regions(
    ctx: DemoContext, *, towns_per_county: int, villages_per_town: int, grids_per_village: int
) -> None:
    stems = iter(ctx.rng.sample(TOWN_STEMS, len(TOWN_STEMS)))
    for code, name, _kind in COUNTIES:
        county = _region(name, RegionLevel.COUNTY, ctx.city, code + "000000")
        ctx.counties.append(county)
        for t in range(1, towns_per_county + 1):
            stem = next(stems, None) or f"第{t}"
            suffix = "街道" if _kind == "district" and t <= towns_per_county // 2 else "镇"
            town = _region(f"{stem}{suffix}", RegionLevel.TOWNSHIP, county, f"{code}{t:03d}000")
            ctx.towns.append(town)
            for v, stem_v in enumerate(ctx.rng.sample(VILLAGE_STEMS, villages_per_town), 1):
                kind = "社区" if suffix == "街道" else "村"
                village = _region(
                    f"{stem_v}{kind}", RegionLevel.VILLAGE, town, f"{code}{t:03d}{v:03d}"
                )
                ctx.villages.append(village)
                ctx.grids += [
                    Region(name=f"{village.name}第{g}网格", level=RegionLevel.GRID, parent=village)
                    for g in range(1, grids_per_village + 1)
                ]
    _grids(ctx.grids)


def is_subdistrict(town: Region) -> bool:
    """A 街道 (subdistrict) of the demo, by its name: no congress, a 人大工委."""
    return town.name.endswith("街道")


def build_congresses(ctx: DemoContext) -> None:
    _congress(ctx, ctx.province, CongressLevel.PROVINCE, 14, datetime.date(2023, 1, 15))
    city_congress = _congress(ctx, ctx.city, CongressLevel.CITY, 17, datetime.date(2022, 1, 8))
    for county in ctx.counties:
        _congress(ctx, county, CongressLevel.COUNTY, 18, datetime.date(2021, 12, 20))
    for town in ctx.towns:
        if is_subdistrict(town):
            # A 街道 has no people's congress: the district's standing committee works
            # there through its 人大工委, and the 议政会's voter delegates (representatives'
            # demo) take part in its affairs (docs/livelihood-subdistricts.md).
            WorkingCommittee.objects.create(
                region=town,
                congress=ctx.congresses[town.parent_id or 0],
                name=f"{town.parent.name if town.parent else ''}人大常委会{town.name}工作委员会",
            )
            continue
        _congress(ctx, town, CongressLevel.TOWNSHIP, 18, datetime.date(2021, 12, 10))
    # The city's annual sessions (each January) and its standing committee meetings.
    city_term = ctx.terms[city_congress.pk]
    for number, year in enumerate(range(2022, ctx.today.year + 1), start=1):
        opens = datetime.date(year, 1, 8)
        Session.objects.create(
            term=city_term,
            kind=SessionKind.PLENARY,
            number=number,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=4),
        )
    meeting = 1
    day = datetime.date(2022, 2, 25)
    while day <= ctx.today + datetime.timedelta(days=60):
        Session.objects.create(
            term=city_term,
            kind=SessionKind.STANDING_COMMITTEE,
            number=meeting,
            opens_on=day,
            closes_on=day,
        )
        meeting += 1
        day += datetime.timedelta(days=61)
    towns = [t for t in ctx.towns if t.pk in ctx.congresses]
    for region, opening_day in [*((c, 4) for c in ctx.counties), *((t, 2) for t in towns)]:
        term = ctx.terms[ctx.congresses[region.pk].pk]
        for number, year in enumerate(range(2022, ctx.today.year + 1), start=1):
            opens = datetime.date(year, 1, opening_day)
            Session.objects.create(
                term=term,
                kind=SessionKind.PLENARY,
                number=number,
                opens_on=opens,
                closes_on=opens + datetime.timedelta(days=3),
            )


def build_departments(ctx: DemoContext) -> None:
    city_office = Department.objects.create(
        name="江海市人民政府办公室",
        short_name="市政府办",
        kind=DepartmentKind.GOVERNMENT,
        region=ctx.city,
    )
    ctx.departments.append(city_office)
    for name, short in CITY_DEPARTMENTS:
        ctx.departments.append(
            Department.objects.create(
                name=name.replace("市", "江海市", 1),
                short_name=short,
                kind=DepartmentKind.GOVERNMENT,
                region=ctx.city,
                parent=city_office,
            )
        )
    for name, kind in [
        ("江海市中级人民法院", DepartmentKind.COURT),
        ("江海市人民检察院", DepartmentKind.PROCURATORATE),
        ("江海市监察委员会", DepartmentKind.SUPERVISORY),
        ("国网江海供电公司", DepartmentKind.ENTERPRISE),
        ("江海水务集团有限公司", DepartmentKind.ENTERPRISE),
    ]:
        ctx.departments.append(Department.objects.create(name=name, kind=kind, region=ctx.city))
    for county in ctx.counties:
        office = Department.objects.create(
            name=f"{county.name}人民政府办公室",
            kind=DepartmentKind.GOVERNMENT,
            region=county,
        )
        ctx.departments.append(office)
        for name, short in COUNTY_DEPARTMENTS:
            ctx.departments.append(
                Department.objects.create(
                    name=f"{county.name}{name}",
                    short_name=short,
                    kind=DepartmentKind.GOVERNMENT,
                    region=county,
                    parent=office,
                )
            )
        for town in [t for t in ctx.towns if t.parent_id == county.pk]:
            kind_name = "办事处" if town.name.endswith("街道") else "人民政府"
            ctx.departments.append(
                Department.objects.create(
                    name=f"{town.name}{kind_name}",
                    kind=DepartmentKind.TOWNSHIP,
                    region=town,
                    parent=office,
                )
            )


def build_accounts(ctx: DemoContext) -> None:
    ctx.add_account("admin", "系统管理员", "系统管理员（后台）", superuser=True)
    city = ctx.add_account("city_staff", "周文华", "江海市人大常委会代表工作委员会 工作人员")
    RoleGrant.objects.create(user=city, role=Role.STAFF, region=ctx.city)
    first, second = ctx.counties[0], ctx.counties[1]
    district = ctx.add_account("district_staff", "陈静", f"{first.name}人大常委会 工作人员")
    RoleGrant.objects.create(user=district, role=Role.STAFF, region=first)
    other = ctx.add_account("other_district_staff", "李强", f"{second.name}人大常委会 工作人员")
    RoleGrant.objects.create(user=other, role=Role.STAFF, region=second)
    town = next(t for t in ctx.towns if t.parent_id == first.pk)
    town_staff = ctx.add_account("town_staff", "王芳", f"{town.name}人大工委 工作人员")
    RoleGrant.objects.create(user=town_staff, role=Role.STAFF, region=town)
    by_short = {(d.region_id, d.short_name): d for d in ctx.departments}
    transport = by_short[(ctx.city.pk, "交通局")]
    housing = by_short[(ctx.city.pk, "住建局")]
    for username, name, department in [
        ("clerk_transport", "赵磊", transport),
        ("clerk_housing", "孙丽", housing),
        ("clerk_district_urban", "吴敏", by_short[(first.pk, "城管局")]),
        ("supervisor_city_office", "郑国华", transport.parent),
    ]:
        assert department is not None
        user = ctx.add_account(username, name, f"{department.name} 经办人")
        RoleGrant.objects.create(user=user, role=Role.HANDLER, department=department)
    member = ctx.add_account("committee_member", "钱建国", "江海市人大常委会 组成人员")
    RoleGrant.objects.create(user=member, role=Role.COMMITTEE, region=ctx.city)


@transaction.atomic
def build_core(*, seed: int = 2026, today: datetime.date, scale: float = 1.0) -> DemoContext:
    rng = random.Random(seed)
    province = _region("东海省", RegionLevel.PROVINCE, None, "990000000000")
    city = _region("江海市", RegionLevel.CITY, province, "990100000000")
    ctx = DemoContext(rng=rng, today=today, province=province, city=city)
    build_regions(
        ctx,
        towns_per_county=max(2, round(8 * scale)),
        villages_per_town=max(2, round(10 * scale)),
        grids_per_village=max(1, round(3 * scale)),
    )
    build_congresses(ctx)
    build_departments(ctx)
    build_accounts(ctx)
    return ctx
