"""The suggestions taken up per signer, month and 履职积分 rule (``SignedMonthCount``;
docs/dashboard.md, the activity ranking): the review adds a suggestion to its
confirmed signers' month of submission when it takes it up, a rebuild counts the same
rows from the signers, the check finds a row that drifted, and the tally reads it for
whole months with the same totals as the signers themselves.

By hand, at the city congress's 2026 session (江海市):
- 刘红 leads a suggestion co-signed by 张伟 (confirmed) and 王军 (declined), submitted
  Tue 20 January, taken up (立案) on Sun 25 January;
- 刘红 leads a motion co-signed by 张伟, submitted 20 January, taken up as a motion;
- 刘红 alone files a motion, submitted 20 January, taken up as a suggestion
  (议案转为建议);
- 刘红 alone files a suggestion submitted on Sun 1 February at 07:00 in Asia/Shanghai
  (still 31 January in UTC), taken up on 3 February;
- 王军's suggestion is refused (不予立案); 张伟's is submitted and not yet reviewed.

So: 刘红 January — suggestions 2 (the first and the converted motion), motions 1;
刘红 February — suggestions 1; 张伟 January — suggestions 2 (a co-signed motion is
a suggestion signed: only its lead earns "motion"); 王军 nothing.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from congress.models import Region, User
from representatives.models import Representative
from representatives.registry import PointSource, point_sources
from suggestions.formal import points, services
from suggestions.models.formal import SignedMonthCount, Suggestion
from tests.conftest import World
from tests.suggestions_formal.conftest import Cast, Clock, draft

JANUARY = datetime.date(2026, 1, 1)
FEBRUARY = datetime.date(2026, 2, 1)
JANUARY_END = datetime.date(2026, 1, 31)
FEBRUARY_END = datetime.date(2026, 2, 28)

Rows = dict[tuple[int, datetime.date, str], int]


def _file(cast: Cast, lead: Representative, user: User, title: str, **kwargs: object) -> Suggestion:
    return services.suggestion_create(
        lead=lead,
        session=cast.session,
        title=title,
        content="群众反映集中，建议有关部门研究解决。",
        category="transport",
        research_basis="走访选民。",
        by=user,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def signed(cast: Cast, city_staff: User, clock: Clock) -> Cast:
    clock.set(datetime.date(2026, 1, 20))
    first = draft(cast, title="关于优化城区公交线网的建议")
    services.suggestion_invite_cosigners(
        suggestion=first, representatives=[cast.cosigner, cast.third], by=cast.lead_user
    )
    services.suggestion_start_cosigning(suggestion=first, by=cast.lead_user)
    services.signer_respond(
        signer=first.signers.get(representative=cast.cosigner), confirm=True, by=cast.cosigner_user
    )
    services.signer_respond(
        signer=first.signers.get(representative=cast.third), confirm=False, by=cast.third_user
    )
    services.suggestion_submit(suggestion=first, by=cast.lead_user)

    motion = draft(cast, title="关于制定江海市养犬管理条例的议案", kind="motion")
    services.suggestion_invite_cosigners(
        suggestion=motion, representatives=[cast.cosigner], by=cast.lead_user
    )
    services.suggestion_start_cosigning(suggestion=motion, by=cast.lead_user)
    services.signer_respond(
        signer=motion.signers.get(representative=cast.cosigner), confirm=True, by=cast.cosigner_user
    )
    converted = draft(cast, title="关于加强物业管理的议案", kind="motion")
    with override_settings(SUGGESTION_MOTION_MIN_SIGNERS={"city": 1}):
        services.suggestion_submit(suggestion=motion, by=cast.lead_user)
        services.suggestion_submit(suggestion=converted, by=cast.lead_user)

    refused = _file(cast, cast.third, cast.third_user, "关于增设路灯的建议")
    services.suggestion_submit(suggestion=refused, by=cast.third_user)
    waiting = _file(cast, cast.cosigner, cast.cosigner_user, "关于增加停车位的建议")
    services.suggestion_submit(suggestion=waiting, by=cast.cosigner_user)

    clock.set(datetime.date(2026, 1, 25))
    for suggestion in (first, motion):
        services.suggestion_review(suggestion=suggestion, decision="register", by=city_staff)
    services.suggestion_review(
        suggestion=converted,
        decision="convert_to_suggestion",
        by=city_staff,
        note="内容属于工作建议，转为建议办理",
    )
    services.suggestion_review(
        suggestion=refused, decision="refuse", by=city_staff, note="不属于本级人大职权范围"
    )

    clock.set(datetime.date(2026, 2, 1), hour=7)
    late = draft(cast, title="关于延长夜班公交运营时间的建议")
    services.suggestion_submit(suggestion=late, by=cast.lead_user)
    clock.set(datetime.date(2026, 2, 3))
    services.suggestion_review(suggestion=late, decision="register", by=city_staff)
    return cast


def _by_hand(cast: Cast) -> Rows:
    return {
        (cast.lead.pk, JANUARY, "suggestion"): 2,
        (cast.lead.pk, JANUARY, "motion"): 1,
        (cast.lead.pk, FEBRUARY, "suggestion"): 1,
        (cast.cosigner.pk, JANUARY, "suggestion"): 2,
    }


def _rows() -> Rows:
    return {(r.representative_id, r.month, r.rule): r.count for r in SignedMonthCount.objects.all()}


def _source() -> PointSource:
    """The suggestions' point source as the app registers it (the ranking's)."""
    return next(source for source in point_sources if source.code == "suggestions")


def _tallied(start: datetime.date, end: datetime.date) -> Rows:
    rows = _source().tally_of(Representative.objects.all(), start, end)
    return {
        (row["point_holder"], start, row["point_code"]): row["point_count"]
        for row in rows
        if row["point_count"]
    }


def test_the_review_adds_each_suggestion_taken_up_to_its_signers_months(signed: Cast) -> None:
    assert _rows() == _by_hand(signed)
    assert points.signed_counts_differences() == {}
    # A rebuild from the signers writes the same rows.
    points.signed_counts_rebuild()
    assert _rows() == _by_hand(signed)


def test_the_tally_reads_whole_months_from_the_summary_with_the_same_totals(
    signed: Cast,
) -> None:
    lead, cosigner = signed.lead.pk, signed.cosigner.pk
    january = {key: n for key, n in _by_hand(signed).items() if key[1] == JANUARY}
    whole = _source().tally_of(Representative.objects.all(), JANUARY, JANUARY_END)
    assert SignedMonthCount._meta.db_table in str(whole.query)
    assert _tallied(JANUARY, JANUARY_END) == january
    assert _tallied(FEBRUARY, FEBRUARY_END) == {(lead, FEBRUARY, "suggestion"): 1}
    assert _tallied(JANUARY, FEBRUARY_END) == {
        (lead, JANUARY, "suggestion"): 3,
        (lead, JANUARY, "motion"): 1,
        (cosigner, JANUARY, "suggestion"): 2,
    }
    # Other periods count the signers themselves: the same suggestions.
    part = _source().tally_of(Representative.objects.all(), datetime.date(2026, 1, 2), JANUARY_END)
    assert SignedMonthCount._meta.db_table not in str(part.query)
    second = datetime.date(2026, 1, 2)
    assert _tallied(second, JANUARY_END) == {
        (holder, second, rule): n for (holder, _, rule), n in january.items()
    }
    assert _tallied(FEBRUARY, datetime.date(2026, 2, 2)) == {(lead, FEBRUARY, "suggestion"): 1}
    assert _tallied(datetime.date(2026, 2, 2), FEBRUARY_END) == {}


def test_the_check_finds_a_drifted_row_and_the_rebuild_repairs_it(signed: Cast) -> None:
    call_command("signed_counts_rebuild", check=True, stdout=io.StringIO())
    SignedMonthCount.objects.filter(month=FEBRUARY).update(count=5)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 summary rows differ"):
        call_command("signed_counts_rebuild", check=True, stdout=out)
    assert f"representative {signed.lead.pk} 2026-02 suggestion: kept 5, counted 1" in (
        out.getvalue()
    )
    call_command("signed_counts_rebuild", stdout=io.StringIO())
    assert _rows() == _by_hand(signed)


def test_the_rows_keep_their_signers_area_and_a_region_reads_its_own_on_it(
    signed: Cast, world: World, city_staff: User
) -> None:
    """The signers are registered in 桃园社区 (新浦街道, 海州区): each row keeps those
    ids, written by the review and by a rebuild alike; a region's ranking reads its
    rows on them (``area_tally_of``), with the by-hand totals."""
    from representatives import services as representative_services
    from representatives.models import holder_area_q

    here = (world.city.parent_id, world.city.pk, world.district.pk, world.town.pk)

    def areas() -> set[tuple[int | None, ...]]:
        return set(SignedMonthCount.objects.values_list("area_0", "area_1", "area_2", "area_3"))

    def in_area(region: Region) -> int:
        rows = _source().area_tally_of(None, JANUARY, FEBRUARY_END)
        assert rows is not None and SignedMonthCount._meta.db_table in str(rows.query)
        return sum(row["point_count"] for row in rows.filter(holder_area_q(region)))

    assert areas() == {here}
    points.signed_counts_rebuild()
    assert areas() == {here}
    assert (in_area(world.district), in_area(world.other_district)) == (6, 0)
    # 张伟 moves to 临江区: their row (2 in January) goes along.
    representative_services.representative_update(
        representative=signed.cosigner, by=city_staff, region=world.other_district
    )
    assert (in_area(world.district), in_area(world.other_district)) == (4, 2)
    call_command("record_areas_rebuild", check=True, stdout=io.StringIO())
