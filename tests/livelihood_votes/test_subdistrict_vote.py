"""A subdistrict (街道) has no people's congress: its 民生实事 vote is its cycle's, run by
the 人大工委 (staff of the 街道, under the district congress) and voted by its 议政会's
voter delegates (docs/livelihood-subdistricts.md).

新浦街道 (world.town) holds its 2026 vote: 9 candidates for 8 seats, six delegates of
its communities in the 议政会 (one of them, 赵敏, with a login), one delegate who left
(not in the electorate) and one delegate of another district's subdistrict. 王芳 is the
人大工委's staff; district staff (陈静) may run it too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congress.errors import RuleViolation
from congress.models import Elector, Region, RegionLevel, User
from livelihood_votes import selectors, services
from livelihood_votes.cycles import services as cycle_services
from livelihood_votes.errors import NotAnElector
from livelihood_votes.models import Candidate, Cycle, Electorate, LivelihoodVote, Mark
from livelihood_votes.models.cycles import ShortlistEntry
from representatives.models import VoterDelegate
from tests.conftest import World, login
from tests.factories import DepartmentFactory, RegionFactory, UserFactory
from tests.livelihood_votes.conftest import Cast


@dataclass
class Subdistrict:
    world: World
    cycle: Cycle
    delegates: list[VoterDelegate]  # the 议政会's six active delegates
    zhao: VoterDelegate  # the one with a login (delegates[0])
    former: VoterDelegate  # left the 议政会: not in the electorate
    elsewhere: VoterDelegate  # a delegate of 临江区's subdistrict


def delegate(name: str, region: Region, *, active: bool = True) -> VoterDelegate:
    return VoterDelegate.objects.create(
        name=name,
        gender="female",
        region=region,
        starts_on=datetime.date(2022, 1, 10),
        is_active=active,
    )


@pytest.fixture
def subdistrict(world: World) -> Subdistrict:
    community = world.village  # 桃园社区, a community of 新浦街道
    delegates = [delegate(name, community) for name in ("赵敏", "钱芳", "孙强", "李娜", "周杰")]
    delegates.append(delegate("吴刚", world.town))  # registered at the subdistrict itself
    zhao = delegates[0]
    zhao.user = UserFactory(username="zhaomin", display_name="赵敏")
    zhao.save(update_fields=["user"])
    former = delegate("郑洁", community, active=False)
    other_town = RegionFactory(
        name="临江街道", level=RegionLevel.TOWNSHIP, parent=world.other_district
    )
    elsewhere = delegate("冯涛", other_town)
    elsewhere.user = UserFactory(username="fengtao", display_name="冯涛")
    elsewhere.save(update_fields=["user"])
    cycle = Cycle.objects.create(
        congress=world.district.congress,
        region=world.town,
        year=2026,
        title="新浦街道2026年度民生实事项目",
        electorate=Electorate.VOTER_DELEGATES,
    )
    return Subdistrict(world, cycle, delegates, zhao, former, elsewhere)


def subdistrict_vote(sub: Subdistrict, by: User, *, candidates: int = 9) -> LivelihoodVote:
    vote = services.vote_create(
        congress=sub.cycle.congress,
        cycle=sub.cycle,
        title="新浦街道2026年度民生实事项目议政代表票决",
        year=2026,
        seats=8,
        by=by,
    )
    for n in range(1, candidates + 1):
        services.candidate_add(vote=vote, title=f"街道项目{n}", by=by)
    return vote


def candidates_of(vote: LivelihoodVote) -> list[Candidate]:
    return list(vote.candidates.order_by("order"))


def approve(*candidates: Candidate) -> dict[int, str]:
    return dict.fromkeys((c.pk for c in candidates), Mark.APPROVE)


def test_the_cycle_vote_is_voted_by_the_delegates_end_to_end(
    subdistrict: Subdistrict, town_staff: User, district_staff: User
) -> None:
    sub = subdistrict
    vote = subdistrict_vote(sub, town_staff)  # the 人大工委's staff prepare it
    sub.cycle.refresh_from_db()
    assert sub.cycle.vote == vote
    assert selectors.by_delegates(vote)
    assert selectors.vote_region(vote) == sub.world.town

    services.vote_open(vote=vote, by=town_staff)
    vote.refresh_from_db()
    # The frozen electorate: the six active delegates of the 街道 and its communities;
    # not the one who left, not another subdistrict's, no representative.
    assert vote.electorate == 6
    frozen = set(Elector.objects.filter(box=vote.box_id).values_list("voter", flat=True))
    assert frozen == {d.pk for d in sub.delegates}
    assert vote.box is not None and vote.box.region == sub.world.town

    c = candidates_of(vote)
    # In the hall: four delegates sign in for paper ballots, the desk enters each sheet
    # twice (the 人大工委's staff and a district teller).
    hall = sub.delegates[1:5]
    for person in hall:
        services.participation_sign_in(vote=vote, voter=person, by=town_staff)
    sheets = [
        approve(*c[:8]),  # projects 1-8
        approve(*c[:7]),  # 1-7
        approve(*c[1:8]),  # 2-8
        approve(c[0], c[8]),  # 1 and 9
    ]
    for number, choices in enumerate(sheets, start=1):
        assert (
            services.paper_sheet_enter(vote=vote, sheet=number, choices=choices, by=town_staff)
            == services.SHEET_WAITING
        )
        assert (
            services.paper_sheet_enter(vote=vote, sheet=number, choices=choices, by=district_staff)
            == services.SHEET_COUNTED
        )
    # 赵敏 votes on her phone: projects 1-6 and 9.
    receipt = services.ballot_cast(
        vote=vote, voter=sub.zhao, choices=approve(*c[:6], c[8]), by=sub.zhao.user
    )
    assert len(receipt) == 14
    assert selectors.has_voted(vote, sub.zhao)
    # 吴刚 (the sixth) does not come.

    services.vote_close(vote=vote, by=town_staff)
    vote.refresh_from_db()
    tally = selectors.vote_tally(vote)
    assert (tally.electorate, tally.participants, tally.ballots) == (6, 5, 5)
    assert tally.quorate  # 5 of 6
    # Approvals by hand, project n: sheets 1-4 and 赵敏's ballot.
    # 1: s1 s2 s4 z = 4;  2-6: s1 s2 s3 z = 4;  7: s1 s2 s3 = 3;  8: s1 s3 = 2;
    # 9: s4 z = 2. The pass base is the electorate (6): more than 3 approvals pass.
    approvals = {row.candidate.title: row.approvals for row in tally.rows}
    assert approvals == {
        "街道项目1": 4,
        "街道项目2": 4,
        "街道项目3": 4,
        "街道项目4": 4,
        "街道项目5": 4,
        "街道项目6": 4,
        "街道项目7": 3,
        "街道项目8": 2,
        "街道项目9": 2,
    }
    assert tally.approvals_needed == 4
    assert {row.candidate.title for row in tally.elected} == {f"街道项目{n}" for n in range(1, 7)}
    assert selectors.recount_agrees(vote)
    # The roll call names the delegates who voted, with their channel.
    roll = {row.name: row.channel for row in selectors.voters(vote)}
    assert roll == {
        "赵敏": "online",
        "钱芳": "paper",
        "孙强": "paper",
        "李娜": "paper",
        "周杰": "paper",
    }


def test_the_differential_check_applies_as_to_any_vote(
    subdistrict: Subdistrict, town_staff: User
) -> None:
    vote = subdistrict_vote(subdistrict, town_staff, candidates=8)  # 8 for 8 seats
    with pytest.raises(RuleViolation, match="候选项目数须比应选项目数多"):
        services.vote_open(vote=vote, by=town_staff)


def test_a_subdistrict_without_delegates_cannot_open_its_vote(
    subdistrict: Subdistrict, town_staff: User
) -> None:
    VoterDelegate.objects.filter(region__path__startswith=subdistrict.world.town.path).update(
        is_active=False
    )
    vote = subdistrict_vote(subdistrict, town_staff)
    with pytest.raises(RuleViolation, match="该街道没有在任的议政代表"):
        services.vote_open(vote=vote, by=town_staff)


def test_a_representative_who_is_not_a_delegate_is_refused(
    subdistrict: Subdistrict, cast: Cast, town_staff: User
) -> None:
    """刘红 holds a seat in the district congress, the cycle's congress: that does not put
    her in the subdistrict's electorate. Her representative's id may even equal a
    delegate's: the box is never asked."""
    vote = subdistrict_vote(subdistrict, town_staff)
    services.vote_open(vote=vote, by=town_staff)
    vote.refresh_from_db()
    liu = cast.liu
    assert liu.user is not None
    c = candidates_of(vote)
    with pytest.raises(NotAnElector) as refused:
        services.ballot_cast(vote=vote, voter=liu, choices=approve(c[0]), by=liu.user)
    assert str(refused.value.message) == (
        "本次票决由新浦街道议政会的议政代表投票，您不在本次票决的投票人名单中。"
    )
    with pytest.raises(NotAnElector):
        services.participation_sign_in(vote=vote, voter=liu, by=town_staff)
    # A delegate of another subdistrict, and one who left, are refused as well.
    elsewhere = subdistrict.elsewhere
    assert elsewhere.user is not None
    with pytest.raises(NotAnElector, match="您不在本次票决的投票人名单中"):
        services.ballot_cast(vote=vote, voter=elsewhere, choices=approve(c[0]), by=elsewhere.user)
    with pytest.raises(NotAnElector, match="议政代表名单"):
        services.participation_sign_in(vote=vote, voter=subdistrict.former, by=town_staff)
    assert not Elector.objects.filter(box=vote.box_id, channel__isnull=False).exists()
    # Nor does a delegate vote in the district's own vote (representatives vote there).
    assert not selectors.is_elector(vote, liu)
    zhao = subdistrict.zhao
    assert selectors.is_elector(vote, zhao)


def test_a_delegate_is_not_in_the_district_congress_vote(
    subdistrict: Subdistrict, cast: Cast, district_staff: User
) -> None:
    from tests.livelihood_votes.conftest import make_vote, opened

    district_vote = opened(make_vote(cast.world.district, district_staff), district_staff)
    zhao = subdistrict.zhao
    assert zhao.user is not None
    c = candidates_of(district_vote)
    with pytest.raises(NotAnElector, match="议政代表不参加"):
        services.ballot_cast(vote=district_vote, voter=zhao, choices=approve(c[0]), by=zhao.user)
    assert not selectors.is_elector(district_vote, zhao)


def test_who_sees_and_runs_a_subdistrict_vote(
    subdistrict: Subdistrict,
    cast: Cast,
    town_staff: User,
    district_staff: User,
    city_staff: User,
    other_district_staff: User,
) -> None:
    sub = subdistrict
    vote = subdistrict_vote(sub, town_staff)
    # A draft: the 人大工委's staff and the staff above; no voter yet.
    for user in (town_staff, district_staff, city_staff):
        assert selectors.visible_votes(user).filter(pk=vote.pk).exists()
        assert selectors.manages(user, vote)
    assert sub.zhao.user is not None and cast.liu.user is not None
    for user in (other_district_staff, sub.zhao.user, cast.liu.user):
        assert not selectors.visible_votes(user).filter(pk=vote.pk).exists()
    services.vote_open(vote=vote, by=town_staff)
    # Open: the delegates in its electorate see it; the district's representatives, a
    # delegate of another subdistrict and other staff do not.
    assert selectors.visible_votes(sub.zhao.user).filter(pk=vote.pk).exists()
    assert list(selectors.open_votes_for(sub.zhao)) == [vote]
    assert sub.elsewhere.user is not None
    for user in (other_district_staff, sub.elsewhere.user, cast.liu.user):
        assert not selectors.visible_votes(user).filter(pk=vote.pk).exists()
    assert not selectors.open_votes_for(cast.liu).filter(pk=vote.pk).exists()
    assert not selectors.manages(other_district_staff, vote)


def test_a_subdistrict_vote_is_prepared_by_its_own_staff_only(
    subdistrict: Subdistrict, other_district_staff: User, town_staff: User
) -> None:
    from congress.errors import OutOfJurisdiction

    with pytest.raises(OutOfJurisdiction):
        subdistrict_vote(subdistrict, other_district_staff)
    vote = subdistrict_vote(subdistrict, town_staff)
    with pytest.raises(OutOfJurisdiction):
        services.vote_open(vote=vote, by=other_district_staff)
    # A cycle gets one vote.
    with pytest.raises(RuleViolation, match="已有票决"):
        subdistrict_vote(subdistrict, town_staff)


# --- pages -------------------------------------------------------------------------------


def test_the_delegate_votes_on_the_phone_pages(subdistrict: Subdistrict, town_staff: User) -> None:
    sub = subdistrict
    vote = subdistrict_vote(sub, town_staff)
    services.vote_open(vote=vote, by=town_staff)
    assert sub.zhao.user is not None
    client = login(Client(), sub.zhao.user)
    mine = client.get(reverse("my_livelihood_votes"))
    assert mine.status_code == 200
    assert f'data-testid="open-vote-{vote.pk}"' in mine.content.decode()
    c = candidates_of(vote)
    picked = [str(x.pk) for x in c[:3]]
    review = client.post(reverse("livelihood_ballot", args=[vote.pk]), {"selected": picked})
    assert review.status_code == 200
    done = client.post(
        reverse("livelihood_ballot", args=[vote.pk]), {"selected": picked, "confirm": "1"}
    )
    assert done.status_code == 200
    assert "回执" in done.content.decode()
    assert selectors.has_voted(vote, sub.zhao)
    # Staff see the hall's desk worded for delegates.
    staff = login(Client(), town_staff)
    page = staff.get(reverse("livelihood_vote_detail", args=[vote.pk]))
    assert "新浦街道议政会的议政代表票决" in page.content.decode()
    hall = staff.get(reverse("livelihood_vote_sign_in", args=[vote.pk]), {"q": "钱"})
    assert "钱芳" in hall.content.decode()
    signed = staff.post(
        reverse("livelihood_vote_sign_in", args=[vote.pk]),
        {"representative": sub.delegates[1].pk, "q": "钱"},
    )
    assert signed.status_code == 302
    assert Elector.objects.get(box=vote.box_id, voter=sub.delegates[1].pk).channel == "paper"


def test_a_representative_gets_no_subdistrict_ballot_page(
    subdistrict: Subdistrict, cast: Cast, town_staff: User
) -> None:
    vote = subdistrict_vote(subdistrict, town_staff)
    services.vote_open(vote=vote, by=town_staff)
    assert cast.liu.user is not None
    client = login(Client(), cast.liu.user)
    assert client.get(reverse("livelihood_ballot", args=[vote.pk])).status_code == 404
    assert client.get(reverse("livelihood_vote_detail", args=[vote.pk])).status_code == 404


def test_a_delegate_casts_through_the_api(subdistrict: Subdistrict, town_staff: User) -> None:
    sub = subdistrict
    vote = subdistrict_vote(sub, town_staff)
    services.vote_open(vote=vote, by=town_staff)
    assert sub.zhao.user is not None
    client = login(Client(), sub.zhao.user)
    c = candidates_of(vote)
    answer = client.post(
        f"/api/v1/livelihood-votes/{vote.pk}/ballot/",
        {"selected": [c[0].pk, c[1].pk]},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert selectors.has_voted(vote, sub.zhao)


def test_a_representative_with_a_delegates_id_cannot_use_the_box(
    subdistrict: Subdistrict, cast: Cast, town_staff: User, world: World
) -> None:
    """Electors are ids: 刘红's representative id is made a delegate's id of the electorate
    here, and her ballot is still refused (the voter's kind is checked first)."""
    liu = cast.liu
    twin = VoterDelegate.objects.filter(pk=liu.pk).first()
    if twin is None:
        twin = VoterDelegate.objects.create(
            pk=liu.pk,
            name="同号代表",
            gender="male",
            region=world.village,
            starts_on=datetime.date(2022, 1, 10),
        )
    else:
        VoterDelegate.objects.filter(pk=twin.pk).update(region=world.village, is_active=True)
    vote = subdistrict_vote(subdistrict, town_staff)
    services.vote_open(vote=vote, by=town_staff)
    vote.refresh_from_db()
    assert Elector.objects.filter(box=vote.box_id, voter=liu.pk).exists()
    assert liu.user is not None
    c = candidates_of(vote)
    with pytest.raises(NotAnElector):
        services.ballot_cast(vote=vote, voter=liu, choices=approve(c[0]), by=liu.user)
    with pytest.raises(NotAnElector):
        services.participation_sign_in(vote=vote, voter=liu, by=town_staff)
    assert not selectors.has_voted(vote, liu)
    assert not Elector.objects.filter(box=vote.box_id, channel__isnull=False).exists()


def test_the_vote_made_from_a_subdistricts_shortlist_is_the_delegates(
    subdistrict: Subdistrict, town_staff: User
) -> None:
    """The 人大工委's staff make the vote from the cycle's shortlist (the call's step, not
    the vote's own page): it is the cycle's vote, named for the 议政代表, and opening it
    freezes the six delegates, not the district's representatives."""
    sub = subdistrict
    today = timezone.localdate()
    Cycle.objects.filter(pk=sub.cycle.pk).update(
        call_opens_on=today - datetime.timedelta(days=60),
        call_closes_on=today - datetime.timedelta(days=20),
        screening_closes_on=today - datetime.timedelta(days=1),
        shortlist_closes_on=today + datetime.timedelta(days=10),
    )
    sub.cycle.refresh_from_db()
    department = DepartmentFactory(region=sub.world.town)
    for n in range(1, 10):
        ShortlistEntry.objects.create(
            cycle=sub.cycle,
            title=f"街道项目{n}",
            description="—",
            department=department,
            budget=Decimal("100"),
            deadline=datetime.date(today.year + 1, 12, 31),
            place="新浦街道",
            order=n,
        )
    cycle_services.shortlist_review(
        cycle=sub.cycle, note="经街道人大工委审议，同意提交议政会票决。", by=town_staff
    )
    vote = cycle_services.cycle_vote_create(cycle=sub.cycle, seats=8, by=town_staff)
    sub.cycle.refresh_from_db()
    assert sub.cycle.vote == vote
    assert vote.title == "新浦街道2026年度民生实事项目议政代表票决"
    assert selectors.by_delegates(vote)
    services.vote_open(vote=vote, by=town_staff)
    vote.refresh_from_db()
    assert vote.electorate == 6
    frozen = set(Elector.objects.filter(box=vote.box_id).values_list("voter", flat=True))
    assert frozen == {d.pk for d in sub.delegates}
