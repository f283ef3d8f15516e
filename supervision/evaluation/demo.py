"""Demo evaluations: the city's 2026 工作评议 of 25 departments, scored online by 180
representatives, closed and published (seed 003: online scoring raised participation
from dozens to 180); and an open evaluation of rep_liu's county that rep_liu can score
on the phone.

Everything goes through the services (create, open, 180 sealed ballots cast through the
core's secret ballot, close, publish): the demo is also a smoke test of the rules.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from congress.ballots import services as ballots
from congress.models import Department, User
from representatives import services as representatives
from representatives.models import Mandate, MandateStatus, Representative
from supervision.evaluation import selectors, services
from supervision.models.evaluation import Evaluation

CRITERIA = [("工作作风", 30), ("依法行政", 30), ("服务质量", 20), ("办理代表建议", 20)]
CITY_VOTERS = 180
CITY_SUBJECTS = 25


def _staff_of(region_id: int) -> User:
    return User.objects.filter(role_grants__role="staff", role_grants__region=region_id).order_by(
        "pk"
    ).first() or User.objects.get(username="city_staff")


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉红玉兰志海燕"


def _seat_up_to(ctx: Any, congress: Any, count: int) -> None:
    """The demo city's congress holds fewer live seats than seed 003's 180 scorers at
    small scales (108 at full scale): more of its representatives are added through the
    representatives' services, each with a live seat in its current term."""
    seated = Mandate.objects.filter(status=MandateStatus.ACTIVE, term__congress=congress)
    missing = count - seated.values("representative").distinct().count()
    term = ctx.terms[congress.pk]
    rng = ctx.rng
    for _n in range(max(0, missing)):
        rep = representatives.representative_create(
            by=None,
            name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
            gender=rng.choice(["male", "female"]),
            region=rng.choice(ctx.villages),
        )
        representatives.mandate_add(
            representative=rep,
            level=congress.level,
            term=term,
            starts_on=term.starts_on,
            by=None,
        )


def build_city_evaluation(ctx: Any) -> Evaluation | None:
    congress = ctx.congresses[ctx.city.pk]
    staff = User.objects.get(username="city_staff")
    _seat_up_to(ctx, congress, CITY_VOTERS)
    departments = list(
        Department.objects.filter(region=ctx.city, parent__isnull=False).order_by("pk")[
            :CITY_SUBJECTS
        ]
    )
    if len(departments) < CITY_SUBJECTS:
        departments += list(
            Department.objects.filter(region=ctx.city, parent__isnull=True)
            .exclude(pk__in=[d.pk for d in departments])
            .order_by("pk")[: CITY_SUBJECTS - len(departments)]
        )
    now = timezone.now()
    evaluation = services.evaluation_create(
        congress=congress,
        title=f"{ctx.today.year}年度市政府组成部门工作评议",
        year=ctx.today.year,
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(hours=2),
        criteria=CRITERIA,
        departments=departments,
        by=staff,
    )
    evaluation = services.evaluation_open(evaluation=evaluation, by=staff)
    electorate = set(selectors.electorate_of(evaluation))
    voters = list(
        Representative.objects.filter(pk__in=electorate, user__isnull=False).order_by("pk")
    )
    voters += list(
        Representative.objects.filter(pk__in=electorate, user__isnull=True).order_by("pk")
    )
    cells = services.cells_of(evaluation)
    rng = ctx.rng
    quality = {s: rng.randint(72, 92) for s, _c in cells}
    for rep in voters[:CITY_VOTERS]:
        scores = {key: max(0, min(100, quality[key[0]] + rng.randint(-12, 8))) for key in cells}
        if rep.user is None:  # a representative without a login scores through the box
            ballots.ballot_cast(
                box=evaluation.box,  # type: ignore[arg-type]
                voter=rep.pk,
                choices={cells[key]: value for key, value in scores.items()},
            )
        else:
            services.evaluation_score(
                evaluation=evaluation, representative=rep, scores=scores, by=rep.user
            )
    evaluation = services.evaluation_close(evaluation=evaluation, by=staff)
    return services.evaluation_publish(evaluation=evaluation, by=staff)


def build_open_evaluation(ctx: Any, rep: Representative) -> Evaluation | None:
    """rep_liu's county congress evaluates six of its departments now; rep_liu has not
    scored yet."""
    mandate = (
        Mandate.objects.filter(representative=rep, status=MandateStatus.ACTIVE, level="county")
        .select_related("term__congress__region")
        .first()
    )
    if mandate is None or mandate.term is None:
        return None
    congress = mandate.term.congress
    departments = list(
        Department.objects.filter(region=congress.region, parent__isnull=False).order_by("pk")[:6]
    )
    if not departments:
        return None
    staff = _staff_of(congress.region_id)
    now = timezone.now()
    evaluation = services.evaluation_create(
        congress=congress,
        title=f"{ctx.today.year}年度{congress.region.name}政府部门工作评议",
        year=ctx.today.year,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=14),
        criteria=CRITERIA,
        departments=departments,
        by=staff,
    )
    return services.evaluation_open(evaluation=evaluation, by=staff)


def build(ctx: Any) -> None:
    build_city_evaluation(ctx)
    liu = Representative.objects.filter(user__username="rep_liu").first()
    if liu is not None:
        build_open_evaluation(ctx, liu)
