"""The demo city's subdistricts (街道): no people's congress, a 人大工委 under the district
congress each; and the first 街道 of 海州区 has its 2026 vote, closed, voted by its
议政会 (docs/livelihood-subdistricts.md)."""

from __future__ import annotations

import datetime

import pytest

from congress.demo import build_core
from congress.models import Congress, Region, RegionLevel, Session, Term, User
from congress.models.regions import WorkingCommittee
from livelihood_votes import selectors, subdistrict_demo
from livelihood_votes.models import Cycle, Electorate, VoteStatus
from representatives.models import VoterDelegate


@pytest.mark.django_db
def test_the_demo_builds_no_subdistrict_congress_and_gives_each_its_committee() -> None:
    ctx = build_core(today=datetime.date(2026, 6, 1), scale=0.25)
    towns = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    subdistricts = [t for t in towns if t.name.endswith("街道")]
    townships = [t for t in towns if t.name.endswith("镇")]
    assert subdistricts and townships
    assert not Congress.objects.filter(region__in=subdistricts).exists()
    assert not Term.objects.filter(congress__region__in=subdistricts).exists()
    assert not Session.objects.filter(term__congress__region__in=subdistricts).exists()
    # Each 街道: its 人大工委, under the congress of the district it is in.
    committees = {c.region_id: c for c in WorkingCommittee.objects.select_related("congress")}
    assert set(committees) == {t.pk for t in subdistricts}
    for town in subdistricts:
        committee = committees[town.pk]
        assert committee.congress.region_id == town.parent_id
        assert committee.name.endswith(f"人大常委会{town.name}工作委员会")
    # Each 镇 keeps its congress, with a term and its sessions.
    for town in townships:
        congress = Congress.objects.get(region=town)
        assert congress.level == "township"
        assert Session.objects.filter(term__congress=congress).exists()
    assert ctx.congresses.keys() >= {t.pk for t in townships}
    assert not ctx.congresses.keys() & {t.pk for t in subdistricts}


@pytest.mark.django_db
def test_the_demo_subdistrict_vote_is_closed_and_voted_by_its_delegates() -> None:
    ctx = build_core(today=datetime.date(2026, 6, 1), scale=0.25)
    staff = User.objects.get(username="town_staff")
    town = staff.staff_regions[0]
    assert town.name.endswith("街道")
    communities = list(Region.objects.filter(parent=town))
    VoterDelegate.objects.bulk_create(
        [
            VoterDelegate(
                name=f"议政代表{n}",
                gender="female",
                region=communities[n % len(communities)],
                starts_on=datetime.date(2022, 1, 10),
            )
            for n in range(12)
        ]
    )
    subdistrict_demo.build(ctx)

    cycle = Cycle.objects.select_related("vote", "congress").get(region=town, year=2026)
    assert cycle.electorate == Electorate.VOTER_DELEGATES
    assert cycle.congress.region_id == town.parent_id  # the district congress
    vote = cycle.vote
    assert vote is not None and vote.status == VoteStatus.CLOSED
    assert vote.electorate == 12
    tally = selectors.vote_tally(vote)
    assert tally.participants >= 1 and tally.ballots == tally.participants
    assert len(tally.rows) == 10 and len(tally.elected) <= 8
    assert selectors.recount_agrees(vote)
    # The 人大工委's staff run it; the demo's delegate login voted on the phone.
    assert selectors.manages(staff, vote)
    phone = User.objects.get(username="voter_delegate")
    delegate = VoterDelegate.objects.get(user=phone)
    assert selectors.has_voted(vote, delegate)
    assert selectors.visible_votes(phone).filter(pk=vote.pk).exists()
