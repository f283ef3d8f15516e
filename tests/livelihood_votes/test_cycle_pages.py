"""The cycle's pages and the call's public pages (docs/livelihood-call.md): bad input is
refused with a clear message and the typed text kept, the public pages and the tracking
link carry no proposer's phone or name, and the lists cost the same for 3 rows and 30.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.models import User
from livelihood_votes.cycles import services
from livelihood_votes.models import Cycle, Proposal, ProposalChannel, ProposalStatus
from tests.conftest import World, login
from tests.livelihood_votes.conftest import Cast
from tests.livelihood_votes.test_cycle_services import DAY, TODAY, open_cycle, propose


@pytest.fixture(autouse=True)
def _rate_counters_start_empty() -> None:
    """The public form's limits count per address; every test posts from the same one."""
    cache.clear()


def public_form(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "idempotency_key": str(uuid.uuid4()),
        "title": "桃园社区建设口袋公园",
        "description": "社区缺少休闲场地，希望建一个口袋公园。",
        "place": "桃园社区东侧空地",
        "area": world.town.pk,
        "theme": "environment",
        "estimated_cost": "80",
        "beneficiaries": "周边居民",
        "mobile": "13955556666",
        **overrides,
    }


def test_a_citizen_proposes_and_follows_the_outcome_by_the_link(
    client: Client, world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    answer = client.post(reverse("livelihood_call_propose", args=[cycle.pk]), public_form(world))
    assert answer.status_code == 302
    proposal = Proposal.objects.get()
    assert answer["Location"] == f"/livelihood-call/t/{proposal.tracking_token}/?new=1"
    assert (proposal.channel, proposal.area_id, proposal.mobile) == (
        ProposalChannel.CITIZEN,
        world.town.pk,
        "13955556666",
    )
    page = client.get(answer["Location"])
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "提交成功" in page.content.decode() and "待筛选" in page.content.decode()
    # Staff screen it out on the proposal's page; the link shows the reason.
    staff = login(Client(), district_staff)
    done = staff.post(
        reverse("livelihood_proposal_act", args=[proposal.pk, "screen_out"]),
        {"reason": "not_feasible", "note": "用地尚未落实"},
    )
    assert done.status_code == 302
    text = client.get(
        reverse("livelihood_proposal_track", args=[proposal.tracking_token])
    ).content.decode()
    assert "未采纳" in text and "条件尚不具备" in text and "用地尚未落实" in text
    assert "13955556666" not in text and "5566" not in text


def test_no_place_is_refused_with_what_was_typed_kept(
    client: Client, world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    answer = client.post(
        reverse("livelihood_call_propose", args=[cycle.pk]), public_form(world, place="")
    )
    text = answer.content.decode()
    assert answer.status_code == 200  # the form again, as the citizen-problem form
    assert "请填写项目实施地点" in text
    assert "桃园社区建设口袋公园" in text and "社区缺少休闲场地" in text
    assert not Proposal.objects.exists()


def test_an_absurd_cost_is_refused_on_the_page(
    client: Client, world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    answer = client.post(
        reverse("livelihood_call_propose", args=[cycle.pk]),
        public_form(world, estimated_cost="-5"),
    )
    assert answer.status_code == 200  # the form again, as the citizen-problem form
    assert "估算投资须在0至1,000,000万元之间" in answer.content.decode()


def test_a_proposal_after_the_close_is_refused_with_the_date(
    client: Client, world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    services.cycle_edit(
        cycle=cycle,
        by=district_staff,
        call_opens_on=TODAY - 40 * DAY,
        call_closes_on=TODAY - 2 * DAY,
    )
    closed = (TODAY - 2 * DAY).isoformat()
    form = client.get(reverse("livelihood_call_propose", args=[cycle.pk])).content.decode()
    assert f"本次征集已于{closed}截止" in form
    answer = client.post(reverse("livelihood_call_propose", args=[cycle.pk]), public_form(world))
    assert answer.status_code == 200  # the form again, as the citizen-problem form
    assert f"已于{closed}截止" in answer.content.decode()
    assert not Proposal.objects.exists()


def test_the_same_phone_twice_is_told_on_the_tracking_page(
    client: Client, world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    client.post(reverse("livelihood_call_propose", args=[cycle.pk]), public_form(world))
    again = client.post(reverse("livelihood_call_propose", args=[cycle.pk]), public_form(world))
    text = client.get(again["Location"]).content.decode()
    assert "已提交过同名建议" in text and "已合并到第一次提交的建议" in text


def test_the_public_pages_show_counts_and_no_proposer(
    client: Client, cast: Cast, district_staff: User
) -> None:
    world = cast.world
    cycle = open_cycle(world, district_staff)
    propose(cycle, world, mobile="13912345678")
    liu = cast.liu
    assert liu.user is not None
    propose(
        cycle,
        world,
        channel=ProposalChannel.REPRESENTATIVE,
        representative=liu,
        by=liu.user,
        mobile="",
        title="幸福路增设公交站",
        theme="transport",
    )
    for name in ("livelihood_call", "livelihood_public_call"):
        text = client.get(reverse(name, args=[cycle.pk])).content.decode()
        assert "刘红" not in text
        assert not re.search(r"139\d{8}|1391234|5678", text)
        assert "养老托育" in text and "交通出行" in text
    public = client.get(reverse("livelihood_public_call", args=[cycle.pk])).json()
    assert public["total"] == 2
    assert public["by_area"] == [{"name": "新浦街道", "count": 2}]
    assert sorted(row["name"] for row in public["by_theme"]) == ["交通出行", "养老托育"]


def test_a_station_page_links_the_open_calls_of_its_place(
    client: Client, world: World, district_staff: User, other_district_staff: User
) -> None:
    from tests.representatives.factories import StationFactory

    cycle = open_cycle(world, district_staff)
    elsewhere = services.cycle_create(
        congress=world.other_district.congress,
        year=TODAY.year + 1,
        title="临江区民生实事项目",
        by=other_district_staff,
        call_opens_on=TODAY - DAY,
        call_closes_on=TODAY + 40 * DAY,
    )
    station = StationFactory(region=world.village)
    text = client.get(reverse("public_station", args=[station.public_token])).content.decode()
    link = f"{reverse('livelihood_call_list')}?region={world.village.pk}"
    assert link in text
    calls = client.get(link).content.decode()
    assert reverse("livelihood_call", args=[cycle.pk]) in calls
    assert reverse("livelihood_call", args=[elsewhere.pk]) not in calls


# --- lists cost the same for 3 rows and 30 ---------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _fill(cycle: Cycle, world: World, upto: int) -> None:
    while Proposal.objects.filter(cycle=cycle).count() < upto:
        n = Proposal.objects.count()
        propose(
            cycle,
            world,
            mobile=f"139{n:08d}",
            title=f"建议{n}",
            region=world.town if n % 2 else world.district,
        )


@pytest.mark.parametrize(
    "route",
    ["livelihood_proposal_list", "livelihood_cycle_detail", "livelihood_call"],
)
def test_lists_cost_the_same_for_three_proposals_and_thirty(
    world: World, district_staff: User, route: str
) -> None:
    cycle = open_cycle(world, district_staff)
    staff = login(Client(), district_staff)
    url = reverse(route, args=[cycle.pk])
    _fill(cycle, world, 3)
    few = _queries(staff, url)
    _fill(cycle, world, 30)
    assert _queries(staff, url) == few


def test_the_screening_list_filters_and_pages_by_keyset(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    _fill(cycle, world, 55)
    staff = login(Client(), district_staff)
    url = reverse("livelihood_proposal_list", args=[cycle.pk])
    first = staff.get(url)
    assert len(first.context["page"].object_list) == 50 and first.context["page"].has_next
    second = staff.get(url, {"after": first.context["page"].next_cursor})
    assert len(second.context["page"].object_list) == 5
    towns = staff.get(url, {"area": world.town.pk}).context["page"].object_list
    assert towns and all(p.area_id == world.town.pk for p in towns)
    assert staff.get(url, {"status": ProposalStatus.MERGED}).context["page"].object_list == []


def test_the_cycle_form_refuses_a_short_call_keeping_the_input(
    world: World, district_staff: User
) -> None:
    staff = login(Client(), district_staff)
    answer = staff.post(
        reverse("livelihood_cycle_create"),
        {
            "congress": world.district.congress.pk,
            "year": 2027,
            "title": "海州区2027年度民生实事项目",
            "electorate": "representatives",
            "call_opens_on": "2027-03-01",
            "call_closes_on": "2027-03-20",
        },
    )
    text = answer.content.decode()
    assert "征集期至少30天（含首尾两日），现为20天" in text
    assert "海州区2027年度民生实事项目" in text and "2027-03-20" in text
    assert not Cycle.objects.exists()


def test_the_cycle_page_shows_the_phase_and_the_steps_of_the_day(
    world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    staff = login(Client(), district_staff)
    text = staff.get(cycle.get_absolute_url()).content.decode()
    assert "当前阶段：征集项目建议" in text
    assert 'data-testid="shortlist-form"' not in text  # not in the call's phase
    services.cycle_edit(
        cycle=cycle,
        by=district_staff,
        call_opens_on=TODAY - 40 * DAY,
        call_closes_on=TODAY - 2 * DAY,
        screening_closes_on=TODAY + datetime.timedelta(days=5),
    )
    text = staff.get(cycle.get_absolute_url()).content.decode()
    assert "当前阶段：筛选建议" in text and 'data-testid="shortlist-form"' in text


def _png(name: str = "site.png") -> Any:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_photos_go_with_the_proposal_and_only_its_staff_see_them(
    client: Client, world: World, district_staff: User, other_district_staff: User
) -> None:
    from congress.models import EventAttachment

    cycle = open_cycle(world, district_staff)
    answer = client.post(
        reverse("livelihood_call_propose", args=[cycle.pk]),
        {**public_form(world), "photos": [_png("a.png"), _png("b.png")]},
    )
    assert answer.status_code == 302
    proposal = Proposal.objects.get()
    photos = list(EventAttachment.objects.filter(event__case_id=proposal.pk))
    assert len(photos) == 2 and {p.event.action for p in photos} == {"proposal_submit"}
    url = reverse("attachment_download", args=[photos[0].token])
    assert login(Client(), district_staff).get(url).status_code == 200
    assert login(Client(), other_district_staff).get(url).status_code == 404
    page = login(Client(), district_staff).get(proposal.get_absolute_url()).content.decode()
    assert url in page
    # The public tracking page shows no photo link (it needs a login).
    tracked = client.get(reverse("livelihood_proposal_track", args=[proposal.tracking_token]))
    assert url not in tracked.content.decode()


def test_too_many_photos_are_refused_keeping_the_text(
    client: Client, world: World, district_staff: User, settings: Any
) -> None:
    settings.LIVELIHOOD_PROPOSAL_MAX_PHOTOS = 1
    cycle = open_cycle(world, district_staff)
    answer = client.post(
        reverse("livelihood_call_propose", args=[cycle.pk]),
        {**public_form(world), "photos": [_png("a.png"), _png("b.png")]},
    )
    text = answer.content.decode()
    assert "最多上传1张照片" in text and "桃园社区建设口袋公园" in text
    assert not Proposal.objects.exists()


def test_a_representative_proposes_from_the_phone_and_hears_the_outcome(
    cast: Cast, district_staff: User
) -> None:
    from congress.models import Notification

    world = cast.world
    cycle = open_cycle(world, district_staff)
    liu = cast.liu
    assert liu.user is not None
    phone = login(Client(), liu.user)
    mine = phone.get(reverse("livelihood_my_proposals")).content.decode()
    assert reverse("livelihood_propose", args=[cycle.pk]) in mine
    form = {k: v for k, v in public_form(world).items() if k not in ("mobile", "idempotency_key")}
    answer = phone.post(reverse("livelihood_propose", args=[cycle.pk]), form)
    proposal = Proposal.objects.get()
    assert answer["Location"] == proposal.get_absolute_url()
    assert (proposal.channel, proposal.representative_id) == (
        ProposalChannel.REPRESENTATIVE,
        liu.pk,
    )
    services.proposal_accept(proposal=proposal, by=district_staff)
    inbox = Notification.objects.get(recipient=liu.user)
    assert inbox.url == proposal.get_absolute_url() and "已被采纳" in inbox.title
    page = phone.get(proposal.get_absolute_url()).content.decode()
    assert "拟列入候选项目" in page
    # Another representative's phone: not theirs to see.
    outsider = cast.outsider
    assert outsider.user is not None
    assert login(Client(), outsider.user).get(proposal.get_absolute_url()).status_code == 404


def test_a_clerk_proposes_for_the_department(
    world: World, district_staff: User, clerk: User
) -> None:
    cycle = open_cycle(world, district_staff)
    desk = login(Client(), clerk)
    form = {k: v for k, v in public_form(world).items() if k not in ("mobile", "idempotency_key")}
    answer = desk.post(
        reverse("livelihood_propose", args=[cycle.pk]), {**form, "department": world.department.pk}
    )
    assert answer.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.channel, proposal.department_id, proposal.submitted_by_id) == (
        ProposalChannel.DEPARTMENT,
        world.department.pk,
        clerk.pk,
    )


def test_the_cycle_page_with_its_list_and_its_vote(world: World, district_staff: User) -> None:
    from decimal import Decimal

    from tests.livelihood_votes.test_cycle_services import move_to_screening

    cycle = open_cycle(world, district_staff)
    proposal = propose(cycle, world).proposal
    move_to_screening(cycle, district_staff)
    services.proposal_accept(proposal=proposal, by=district_staff)
    staff = login(Client(), district_staff)
    answer = staff.post(
        reverse("livelihood_cycle_act", args=[cycle.pk, "shortlist_add"]),
        {
            "proposals": [proposal.pk],
            "title": "建设社区老年食堂10个",
            "description": "汇总形成",
            "department": world.department.pk,
            "budget": "600",
            "deadline": (TODAY + 300 * DAY).isoformat(),
            "place": "海州区各街道",
        },
    )
    assert answer.status_code == 302
    refused = staff.post(
        reverse("livelihood_cycle_act", args=[cycle.pk, "create_vote"]), {"seats": "1"}
    )
    assert refused.status_code == 400  # still screening: the list is settled after it
    services.cycle_edit(cycle=cycle, by=district_staff, screening_closes_on=TODAY - DAY)
    page = staff.get(cycle.get_absolute_url()).content.decode()
    assert 'data-testid="review-form"' in page and 'data-testid="vote-form"' not in page
    reviewed = staff.post(
        reverse("livelihood_cycle_act", args=[cycle.pk, "review_shortlist"]),
        {"note": "经主任会议审议，同意提交代表票决。"},
    )
    assert reviewed.status_code == 302
    page = staff.get(cycle.get_absolute_url()).content.decode()
    assert "经主任会议审议，同意提交代表票决。" in page and 'data-testid="vote-form"' in page
    made = staff.post(
        reverse("livelihood_cycle_act", args=[cycle.pk, "create_vote"]),
        {"seats": "1", "ballot_form": "up_to_n"},
    )
    cycle.refresh_from_db()
    assert cycle.vote is not None and made["Location"] == cycle.vote.get_absolute_url()
    text = staff.get(cycle.get_absolute_url()).content.decode()
    assert "建设社区老年食堂10个" in text and cycle.vote.get_absolute_url() in text
    assert 'data-testid="vote-form"' not in text  # made once
    assert Decimal(cycle.vote.candidates.get().budget) == Decimal("600")
