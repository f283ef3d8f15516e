"""Demo data: representatives at five levels, 家站点, duty, grids, months of records.

Proportions follow the seeds, scaled to the demo city (seed 000: 7,624 representatives
for a prefecture city; seed 004: every level stationed in homes/stations/points, each
grid with a representative). About 2,200 people holding 2,600 seats at full scale; the
number of towns sets the size, so ``seed_demo --scale 0.25`` stays small. Rows are
written with ``bulk_create``: the demo describes a past, it does not replay it.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import defaultdict
from typing import Any

from django.utils import timezone

from congress.demo import DemoContext
from congress.models import CongressLevel, Region, Term
from representatives.models import (
    Activity,
    ActivityKind,
    ActivityParticipation,
    ActivityStatus,
    Attendance,
    Constituency,
    ContactKind,
    ContactLog,
    ContactProblem,
    Delegation,
    DutyPattern,
    DutyPatternKind,
    DutyShift,
    Gender,
    GridAssignment,
    Mandate,
    Party,
    PhonePolicy,
    Representative,
    RepresentativeGroup,
    Satisfaction,
    Sector,
    ShiftStatus,
    Station,
    StationKind,
    StationMember,
    StationRole,
    VoterDelegate,
    VoterEvaluation,
)
from representatives.services import point_rules_install_defaults
from representatives.validators import id_check_character

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建华国强秀英志明丽娟海燕晓东文军玉兰春梅红霞桂芳永刚伟平立新德胜宏伟淑珍子涵雨欣浩然思远家豪嘉怡梦洁俊杰婷婷鹏飞晨阳佳琪一帆晓峰卫东爱民振华凤英"
WORKPLACES = [
    "村民委员会",
    "社区居民委员会",
    "农业专业合作社",
    "中心小学",
    "人民医院",
    "卫生院",
    "镇人民政府",
    "家庭农场",
    "纺织有限公司",
    "机械制造有限公司",
    "物流有限公司",
    "律师事务所",
    "供电公司",
    "初级中学",
    "超市",
    "建筑工程有限公司",
    "电子科技有限公司",
    "养殖场",
]
OCCUPATIONS = {
    Sector.WORKER: ["车间主任", "技术员", "一线职工"],
    Sector.FARMER: ["种植大户", "合作社理事长", "养殖户"],
    Sector.PROFESSIONAL: ["教师", "医生", "律师", "工程师"],
    Sector.OFFICIAL: ["党委书记", "镇长", "局长", "村党总支书记"],
    Sector.ENTERPRISE: ["董事长", "总经理"],
    Sector.OTHER: ["个体工商户", "社区工作者"],
}
TOPICS = [
    "道路硬化",
    "路灯维修",
    "小区停车",
    "垃圾分类",
    "农田灌溉",
    "老年食堂",
    "学校周边交通",
    "河道保洁",
    "农村饮水",
    "医保报销",
    "物业管理",
    "健身器材维修",
    "雨污分流",
    "菜市场改造",
    "养老服务",
    "就业培训",
    "农产品销售",
    "危房改造",
    "公交线路",
    "噪音扰民",
]
SUMMARIES: dict[str, str] = {
    ContactKind.RECEPTION: "在联络站接待选民，听取关于{topic}的意见",
    ContactKind.VISIT: "走访{place}，了解{topic}情况",
    ContactKind.RETURN_VISIT: "回访反映{topic}问题的群众，告知办理进展",
    ContactKind.PHONE: "电话联系选民，了解{topic}诉求",
    ContactKind.WECHAT: "通过网格微信群收集{topic}方面的意见",
    ContactKind.MEETING: "组织座谈会，围绕{topic}听取群众意见",
}
ACTIVITY_TITLES: dict[str, str] = {
    ActivityKind.TRAINING: "代表履职能力提升培训",
    ActivityKind.INSPECTION: "视察重点民生实事项目",
    ActivityKind.RESEARCH: "乡村振兴专题调研",
    ActivityKind.LAW_ENFORCEMENT: "物业管理条例执法检查",
    ActivityKind.ATTEND_MEETING: "列席常委会会议",
    ActivityKind.THEME: "“有事找代表”主题活动",
}
FACILITIES = ["代表接待室", "议事厅", "阅览室", "视频会议室", "无障碍通道", "饮水机", "便民服务台"]
DEMO_REPRESENTATIVES = [
    # username, name, gender, what they are
    ("rep_liu", "刘建华", Gender.MALE, "县、镇两级代表"),
    ("rep_wang", "王秀英", Gender.FEMALE, "市、县两级代表"),
    ("rep_zhao", "赵晓东", Gender.MALE, "镇人大代表"),
]


class _Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng: random.Random = ctx.rng
        self.today = ctx.today
        self.people: list[Representative] = []
        self.mandates: list[Mandate] = []
        self.seq = 0
        self.by_town: dict[int, list[Representative]] = defaultdict(list)
        self.levels: dict[int, set[str]] = defaultdict(set)  # by id() of the unsaved person
        self.towns_by_county: dict[int, list[Region]] = defaultdict(list)
        for town in ctx.towns:
            self.towns_by_county[town.parent_id or 0].append(town)
        self.villages_by_town: dict[int, list[Region]] = defaultdict(list)
        for village in ctx.villages:
            self.villages_by_town[village.parent_id or 0].append(village)
        self.grids_by_town: dict[int, list[Region]] = defaultdict(list)
        village_town = {v.pk: v.parent_id for v in ctx.villages}
        for grid in ctx.grids:
            self.grids_by_town[village_town[grid.parent_id]].append(grid)  # type: ignore[index]

    # --- people -------------------------------------------------------------------------

    def _name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice([1, 2])))

    def _id_number(self, region: Region, birth_year: int, gender: str) -> str:
        self.seq += 1
        area = (region.code or "990100000000")[:6]
        day = datetime.date(birth_year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))
        order = (self.seq % 500) * 2 + (1 if gender == Gender.MALE else 0)
        first17 = f"{area}{day:%Y%m%d}{order:03d}"
        return first17 + id_check_character(first17)

    def person(self, region: Region, town: Region) -> Representative:
        gender = Gender.FEMALE if self.rng.random() < 0.32 else Gender.MALE
        birth_year = self.rng.randint(1960, 1995)
        sector = self.rng.choices(list(OCCUPATIONS), weights=[12, 20, 18, 25, 15, 10])[0]
        rep = Representative(
            name=self._name(),
            gender=gender,
            birth_year=birth_year,
            ethnicity="汉族" if self.rng.random() < 0.96 else "回族",
            party=self.rng.choices(Party.values, weights=[70, 8, 22])[0],
            sector=sector,
            occupation=self.rng.choice(OCCUPATIONS[sector]),
            workplace=f"{town.name}{self.rng.choice(WORKPLACES)}",
            mobile=f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}",
            id_number=self._id_number(region, birth_year, gender),
            phone_policy=self.rng.choices(PhonePolicy.values, weights=[45, 45, 10])[0],
            public_note=self.rng.choice(["", "有事您说话，我一定尽力。", "民有所呼，我有所应。"]),
            region=region,
        )
        self.people.append(rep)
        self.by_town[town.pk].append(rep)
        return rep

    def seat(self, rep: Representative, level: str, term: Term | None, **extra: Any) -> None:
        starts = term.starts_on if term else datetime.date(2023, 3, 5)
        self.mandates.append(
            Mandate(representative=rep, level=level, term=term, starts_on=starts, **extra)
        )

    def build_people(self) -> None:
        ctx = self.ctx
        city_congress = ctx.congresses[ctx.city.pk]
        province_congress = ctx.congresses[ctx.province.pk]
        city_term = ctx.terms[city_congress.pk]
        province_term = ctx.terms[province_congress.pk]
        self.constituencies: dict[int, list[Constituency]] = {}
        city_delegations = {}
        province_delegation = Delegation.objects.create(
            congress=province_congress, name=f"{ctx.city.name}代表团"
        )
        county_members: dict[int, list[Representative]] = defaultdict(list)
        for county in ctx.counties:
            county_congress = ctx.congresses[county.pk]
            county_term = ctx.terms[county_congress.pk]
            city_delegations[county.pk] = Delegation.objects.create(
                congress=city_congress, name=f"{county.name}代表团"
            )
            towns = self.towns_by_county[county.pk]
            county_seats = 120 * len(towns) // 8 or 20
            groups = RepresentativeGroup.objects.bulk_create(
                [RepresentativeGroup(name=f"{town.name}代表小组", region=town) for town in towns]
                + [
                    RepresentativeGroup(
                        name=f"{county.name}{topic}专业代表小组", region=county, specialty=topic
                    )
                    for topic in ("教育", "营商环境")
                ]
            )
            group_by_town = {g.region_id: g for g in groups if not g.specialty}
            constituencies = Constituency.objects.bulk_create(
                [
                    Constituency(
                        congress=county_congress, name=f"{town.name}第{n}选区", region=town
                    )
                    for town in towns
                    for n in range(1, 4)
                ]
            )
            by_town_c = defaultdict(list)
            for constituency in constituencies:
                by_town_c[constituency.region_id].append(constituency)
            township_reps: list[tuple[Representative, Region]] = []
            for town in towns:
                villages = self.villages_by_town[town.pk]
                if town.name.endswith("镇"):
                    town_congress = ctx.congresses[town.pk]
                    town_term = ctx.terms[town_congress.pk]
                    town_constituencies = Constituency.objects.bulk_create(
                        [
                            Constituency(congress=town_congress, name=f"{v.name}选区", region=v)
                            for v in villages
                        ]
                    )
                    for _n in range(35 * len(villages) // 10 or 6):
                        village = self.rng.choice(villages)
                        rep = self.person(village, town)
                        self.levels[id(rep)].add(CongressLevel.TOWNSHIP)
                        self.seat(
                            rep,
                            CongressLevel.TOWNSHIP,
                            town_term,
                            constituency=town_constituencies[villages.index(village)],
                        )
                        township_reps.append((rep, town))
                else:
                    self.build_voter_delegates(town, villages)
            for n in range(county_seats):
                town = towns[n % len(towns)]
                candidates = [
                    r
                    for r, t in township_reps
                    if t.pk == town.pk and CongressLevel.COUNTY not in self.levels[id(r)]
                ]
                if candidates and self.rng.random() < 0.6:
                    rep = self.rng.choice(candidates)
                else:
                    rep = self.person(self.rng.choice(self.villages_by_town[town.pk]), town)
                self.levels[id(rep)].add(CongressLevel.COUNTY)
                self.seat(
                    rep,
                    CongressLevel.COUNTY,
                    county_term,
                    constituency=self.rng.choice(by_town_c[town.pk]),
                    group=group_by_town.get(town.pk),
                )
                county_members[county.pk].append(rep)
            for n in range(max(4, county_seats * 3 // 20)):
                town = towns[n % len(towns)]
                pool = [
                    r
                    for r in county_members[county.pk]
                    if CongressLevel.CITY not in self.levels[id(r)]
                ]
                if pool and self.rng.random() < 0.5:
                    rep = self.rng.choice(pool)
                else:
                    rep = self.person(self.rng.choice(self.villages_by_town[town.pk]), town)
                self.levels[id(rep)].add(CongressLevel.CITY)
                self.seat(
                    rep,
                    CongressLevel.CITY,
                    city_term,
                    electoral_unit=county_congress,
                    delegation=city_delegations[county.pk],
                )
        city_reps = [r for r in self.people if CongressLevel.CITY in self.levels[id(r)]]
        for rep in self.rng.sample(city_reps, min(len(city_reps), 12)):
            self.levels[id(rep)].add(CongressLevel.PROVINCE)
            self.seat(
                rep,
                CongressLevel.PROVINCE,
                province_term,
                electoral_unit=city_congress,
                delegation=province_delegation,
            )
        for rep in self.rng.sample(city_reps, min(len(city_reps), 2)):
            if CongressLevel.PROVINCE not in self.levels[id(rep)]:
                self.seat(rep, CongressLevel.NATIONAL, None, electoral_unit=province_congress)
        Representative.objects.bulk_create(self.people, batch_size=500)
        for mandate in self.mandates:
            mandate.representative_id = mandate.representative.pk
        Mandate.objects.bulk_create(self.mandates, batch_size=500)

    def build_voter_delegates(self, town: Region, villages: list[Region]) -> None:
        VoterDelegate.objects.bulk_create(
            [
                VoterDelegate(
                    name=self._name(),
                    gender=self.rng.choice(Gender.values),
                    region=self.rng.choice(villages),
                    workplace=f"{town.name}{self.rng.choice(WORKPLACES)}",
                    starts_on=datetime.date(2022, 1, 10),
                )
                for _n in range(15)
            ]
        )

    # --- stations ---------------------------------------------------------------------

    def station(self, name: str, kind: str, region: Region, **extra: Any) -> Station:
        return Station(
            name=name,
            kind=kind,
            region=region,
            address=f"{region.name}{self.rng.choice(['人民路', '文化路', '建设路', '幸福路'])}"
            f"{self.rng.randint(1, 300)}号",
            latitude=round(34.5 + self.rng.random() * 0.6, 6),
            longitude=round(119.0 + self.rng.random() * 0.6, 6),
            opening_hours=self.rng.choice(["工作日 8:30–17:00", "每月逢一四七上午", "周三全天"]),
            facilities="\n".join(self.rng.sample(FACILITIES, 3)),
            phone=f"0518-8{self.rng.randrange(10**6):06d}",
            **extra,
        )

    def build_stations(self) -> None:
        ctx = self.ctx
        stations: list[Station] = []
        self.town_station: dict[int, Station] = {}
        homes: dict[int, Station] = {}
        for county in ctx.counties:
            home = self.station(f"{county.name}人大代表之家", StationKind.HOME, county)
            homes[county.pk] = home
            stations.append(home)
        for town in ctx.towns:
            station = self.station(f"{town.name}人大代表联络站", StationKind.STATION, town)
            self.town_station[town.pk] = station
            stations.append(station)
        points: list[tuple[Station, Region]] = []
        for village in ctx.villages:
            if self.rng.random() < 0.2:
                point = self.station(f"{village.name}代表联系点", StationKind.POINT, village)
                points.append((point, village))
                stations.append(point)
        studios = [
            self.station(
                "金梧桐专业代表工作室",
                StationKind.SPECIALIST_STUDIO,
                ctx.towns[0],
                specialty="营商环境",
            ),
            self.station(
                "山禾专业代表工作室", StationKind.SPECIALIST_STUDIO, ctx.towns[1], specialty="教育"
            ),
            self.station(f"{ctx.towns[2].name}代表工作室", StationKind.STUDIO, ctx.towns[2]),
        ]
        stations += studios
        centre = self.station(
            f"{ctx.city.name}驻外人大代表履职服务中心", StationKind.CENTRE, ctx.city
        )
        online = self.station(
            f"{ctx.city.name}网上代表联络站",
            StationKind.ONLINE,
            ctx.city,
            description="线上接待选民，随时扫码反映问题。",
        )
        stations += [centre, online]
        Station.objects.bulk_create(stations)
        # Grids: each town station covers its town's grids.
        through = Station.grids.through
        through.objects.bulk_create(
            [
                through(station_id=self.town_station[town.pk].pk, region_id=grid.pk)
                for town in ctx.towns
                for grid in self.grids_by_town[town.pk]
            ]
        )
        members: list[StationMember] = []
        joined = datetime.date(2022, 3, 1)
        for town in ctx.towns:
            reps = self.by_town[town.pk]
            for index, rep in enumerate(reps):
                members.append(
                    StationMember(
                        station=self.town_station[town.pk],
                        representative=rep,
                        joined_on=joined,
                        role=StationRole.HEAD if index == 0 else StationRole.MEMBER,
                    )
                )
        seen = {(m.station.name, m.representative.pk) for m in members}
        for county in ctx.counties:
            upper = [
                r
                for t in self.towns_by_county[county.pk]
                for r in self.by_town[t.pk]
                if self.levels[id(r)] & {CongressLevel.CITY, CongressLevel.PROVINCE}
            ]
            for rep in upper[:12]:
                members.append(
                    StationMember(station=homes[county.pk], representative=rep, joined_on=joined)
                )
        for point, village in points:
            locals_ = [r for r in self.by_town[village.parent_id or 0] if r.region_id == village.pk]
            for rep in locals_[:3]:
                if (point.name, rep.pk) not in seen:
                    members.append(
                        StationMember(station=point, representative=rep, joined_on=joined)
                    )
        for studio in studios:
            pool = self.by_town[studio.region_id]
            for rep in self.rng.sample(pool, min(len(pool), 5)):
                members.append(StationMember(station=studio, representative=rep, joined_on=joined))
        away = self.rng.sample(self.people, 8)
        members += [
            StationMember(station=centre, representative=rep, joined_on=joined) for rep in away
        ]
        StationMember.objects.bulk_create(members, batch_size=1000)
        self.stations = stations
        self.homes = homes

    # --- duty ---------------------------------------------------------------------------

    def build_duty(self) -> None:
        start = self.today - datetime.timedelta(days=120)
        end = self.today + datetime.timedelta(days=30)
        shifts: list[DutyShift] = []
        published = timezone.now()
        for town in self.ctx.towns:
            station = self.town_station[town.pk]
            rotation = self.by_town[town.pk][:8]
            if not rotation:
                continue
            pattern = DutyPattern.objects.create(
                station=station,
                kind=DutyPatternKind.MONTH_DAYS,
                month_digits="147",
                starts_on=start,
                start_time=datetime.time(8, 30),
                end_time=datetime.time(11, 30),
                note="圩日大接访",
            )
            pattern.rotation.set(rotation)
            shifts += self._shifts(station, pattern, rotation, start, end, published)
        for home in self.homes.values():
            rotation = list(
                Representative.objects.filter(station_memberships__station=home).order_by("pk")[:6]
            )
            if not rotation:
                continue
            pattern = DutyPattern.objects.create(
                station=home,
                kind=DutyPatternKind.WEEKLY,
                weekdays="3",
                starts_on=start,
                start_time=datetime.time(14, 0),
                end_time=datetime.time(17, 0),
                note="代表接待选民日",
            )
            pattern.rotation.set(rotation)
            shifts += self._shifts(home, pattern, rotation, start, end, published)
        DutyShift.objects.bulk_create(shifts, batch_size=1000)

    def _shifts(
        self,
        station: Station,
        pattern: DutyPattern,
        rotation: list[Representative],
        start: datetime.date,
        end: datetime.date,
        published: datetime.datetime,
    ) -> list[DutyShift]:
        result = []
        day, turn = start, 0
        while day <= end:
            if pattern.matches(day):
                if day < self.today:
                    status = self.rng.choices(
                        [ShiftStatus.SERVED, ShiftStatus.ON_LEAVE, ShiftStatus.ABSENT],
                        weights=[90, 7, 3],
                    )[0]
                else:
                    status = ShiftStatus.SCHEDULED
                result.append(
                    DutyShift(
                        station=station,
                        representative=rotation[turn % len(rotation)],
                        date=day,
                        start_time=pattern.start_time,
                        end_time=pattern.end_time,
                        pattern=pattern,
                        status=status,
                        reason="外出学习" if status == ShiftStatus.ON_LEAVE else "",
                        published_at=published
                        if day <= self.today + datetime.timedelta(days=14)
                        else None,
                    )
                )
                turn += 1
            day += datetime.timedelta(days=1)
        return result

    # --- grids, contacts, activities -----------------------------------------------------

    def build_grids(self) -> None:
        assignments = []
        for town in self.ctx.towns:
            reps = self.by_town[town.pk]
            if not reps:
                continue
            for grid in self.grids_by_town[town.pk]:
                if self.rng.random() < 0.06:
                    continue  # a few gaps, for the coverage report
                for rep in self.rng.sample(reps, min(len(reps), self.rng.choice([1, 1, 2]))):
                    assignments.append(
                        GridAssignment(
                            representative=rep, grid=grid, starts_on=datetime.date(2022, 3, 1)
                        )
                    )
        GridAssignment.objects.bulk_create(assignments, batch_size=1000)

    def build_contacts(self) -> None:
        logs: list[ContactLog] = []
        problems: list[tuple[int, str]] = []
        kinds = ContactKind.values
        for town in self.ctx.towns:
            station = self.town_station[town.pk]
            villages = self.villages_by_town[town.pk]
            for rep in self.by_town[town.pk]:
                activity = self.rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 10, 14])
                for _n in range(activity):
                    kind = self.rng.choices(kinds, weights=[20, 35, 15, 12, 10, 8])[0]
                    topic = self.rng.choice(TOPICS)
                    place = self.rng.choice(villages).name
                    logs.append(
                        ContactLog(
                            representative=rep,
                            kind=kind,
                            contacted_on=self.today
                            - datetime.timedelta(days=self.rng.randrange(180)),
                            station=station if kind == ContactKind.RECEPTION else None,
                            place=place,
                            people_count=self.rng.randint(1, 12),
                            summary=SUMMARIES[kind].format(topic=topic, place=place),
                            idempotency_key=uuid.UUID(int=self.rng.getrandbits(128)),
                        )
                    )
                    if self.rng.random() < 0.3:
                        problems.append(
                            (len(logs) - 1, f"群众反映{place}{topic}问题，希望尽快解决")
                        )
        ContactLog.objects.bulk_create(logs, batch_size=1000)
        ContactProblem.objects.bulk_create(
            [ContactProblem(log=logs[index], text=text) for index, text in problems],
            batch_size=1000,
        )

    def build_activities(self) -> None:
        ctx = self.ctx
        participations: list[ActivityParticipation] = []
        now = timezone.now()
        for region in [ctx.city, *ctx.counties]:
            if region.pk == ctx.city.pk:
                pool = [r for r in self.people if CongressLevel.CITY in self.levels[id(r)]]
            else:
                pool = [r for t in self.towns_by_county[region.pk] for r in self.by_town[t.pk]]
            for n, kind in enumerate(self.rng.sample(ActivityKind.values * 2, 8)):
                days_ago = 170 - n * 26
                when = now - datetime.timedelta(days=days_ago)
                upcoming = days_ago < 0
                activity = Activity.objects.create(
                    title=f"{region.name}{ACTIVITY_TITLES[kind]}",
                    kind=kind,
                    region=region,
                    starts_at=when.replace(hour=9, minute=0, second=0, microsecond=0),
                    half_days=self.rng.choice([1, 1, 2]),
                    place=f"{region.name}人大常委会会议室",
                    status=ActivityStatus.OPEN if upcoming else ActivityStatus.COMPLETED,
                )
                for rep in self.rng.sample(pool, min(len(pool), self.rng.randint(15, 30))):
                    attendance = (
                        Attendance.PENDING
                        if upcoming
                        else self.rng.choices(
                            [Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT],
                            weights=[85, 10, 5],
                        )[0]
                    )
                    participations.append(
                        ActivityParticipation(
                            activity=activity,
                            representative=rep,
                            attendance=attendance,
                            signed_up_at=when - datetime.timedelta(days=7),
                        )
                    )
        ActivityParticipation.objects.bulk_create(participations, batch_size=1000)

    def build_evaluations(self) -> None:
        rows = []
        for town in self.ctx.towns[: max(4, len(self.ctx.towns) // 3)]:
            station = self.town_station[town.pk]
            for rep in self.by_town[town.pk][:6]:
                for _n in range(self.rng.randint(3, 12)):
                    rows.append(
                        VoterEvaluation(
                            station=station,
                            representative=rep,
                            year=self.today.year,
                            rating=self.rng.choices(Satisfaction.values, weights=[75, 20, 5])[0],
                        )
                    )
        VoterEvaluation.objects.bulk_create(rows, batch_size=1000)

    def build_accounts(self) -> dict[str, Representative]:
        """Named representatives with logins, each with shifts, grids and records."""
        first_town = next(t for t in self.ctx.towns if t.name.endswith("镇"))
        accounts = {}
        both = {CongressLevel.COUNTY, CongressLevel.TOWNSHIP}
        candidates = {
            "rep_liu": [r for r in self.by_town[first_town.pk] if both <= self.levels[id(r)]],
            # Exactly the two levels the README gives (a superset read "市、县两级" wrongly).
            "rep_wang": [
                r
                for r in self.people
                if self.levels[id(r)] == {CongressLevel.CITY, CongressLevel.COUNTY}
            ],
            "rep_zhao": [
                r
                for r in self.by_town[first_town.pk]
                if self.levels[id(r)] == {CongressLevel.TOWNSHIP}
            ],
        }
        for username, name, gender, description in DEMO_REPRESENTATIVES:
            pool = candidates[username] or self.by_town[first_town.pk]
            rep = next(r for r in pool if r.user_id is None)
            user = self.ctx.add_account(username, name, f"人大代表（{description}）")
            user.mobile = rep.mobile
            user.save(update_fields=["mobile"])
            Representative.objects.filter(pk=rep.pk).update(name=name, gender=gender, user=user)
            rep.name, rep.user = name, user
            accounts[username] = rep
        # rep_liu is on duty tomorrow at their town's station, so the reminder shows.
        liu = accounts["rep_liu"]
        station = StationMember.objects.filter(representative=liu).first()
        if station is not None:
            tomorrow = self.today + datetime.timedelta(days=1)
            DutyShift.objects.get_or_create(
                station=station.station,
                representative=liu,
                date=tomorrow,
                start_time=datetime.time(14, 0),
                defaults={"end_time": datetime.time(17, 0), "published_at": timezone.now()},
            )
        return accounts


def build(ctx: DemoContext) -> None:
    point_rules_install_defaults()  # ``seed_demo --reset`` flushed the migration's rows
    builder = _Builder(ctx)
    builder.build_people()
    builder.build_stations()
    builder.build_duty()
    builder.build_grids()
    builder.build_contacts()
    builder.build_activities()
    builder.build_evaluations()
    accounts = builder.build_accounts()
    ctx.extra["representatives"] = builder.people
    ctx.extra["representative_accounts"] = accounts
    ctx.extra["stations"] = builder.stations
    ctx.extra["station_by_town"] = builder.town_station


def build_logins(ctx: DemoContext) -> None:
    """Every demo representative who has none gets a login through the bulk service
    (``accounts.accounts_create``, as staff would open them): an unusable password, so
    they sign in by an SMS code (the laptop demo shows it on the code page:
    ``SMS_SIGNIN_DEMO_CODE``, DEBUG only). Last of the builders (docs/representatives-accounts.md,
    "The demo"), so the others still meet representatives who never had a login (a
    suggestion entered from paper, a score cast through the ballot box). No password
    is hashed: the bulk service's password is unusable, which costs nothing."""
    from congress.models import User
    from representatives.accounts import accounts_create

    admin = User.objects.get(username="admin")
    rows = accounts_create(representatives=Representative.objects.all(), by=admin)
    ctx.extra["representative_logins"] = sum(row.created for row in rows)
