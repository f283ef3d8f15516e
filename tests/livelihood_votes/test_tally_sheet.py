"""The printed 计票单 (tally sheet) that the scrutineers sign, on figures worked out by
hand: 海州区's ten seated representatives, six of them vote (two online, four on paper,
one of the paper sheets over the limit and one blank)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from congress.models import User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote
from tests.conftest import login
from tests.livelihood_votes.conftest import Cast, approve, candidates_of, paper_ballots

pytestmark = pytest.mark.django_db


def approvals_on(sheet: str, title: str) -> int:
    """The 赞成 cell of the project's row in the printed results table."""
    row = re.search(
        rf"<td>{title}<div[^>]*>[^<]*</div></td><td class=\"text-end\">(\d+)</td>", sheet
    )
    assert row is not None, title
    return int(row.group(1))


def test_the_tally_sheet_shows_the_hand_counted_figures_and_room_to_sign(
    cast: Cast,
    open_vote: LivelihoodVote,
    district_staff: User,
    client: Client,
) -> None:
    p = candidates_of(open_vote)  # p[0] is 民生项目1
    services.ballot_cast(
        vote=open_vote,
        representative=cast.liu,
        choices=approve(p[0], p[1], p[2]),
        by=cast.liu.user,  # type: ignore[arg-type]
    )
    services.ballot_cast(
        vote=open_vote,
        representative=cast.zhang,
        choices=approve(p[0], p[1]),
        by=cast.zhang.user,  # type: ignore[arg-type]
    )
    paper_ballots(
        open_vote,
        cast.others[:4],
        [
            approve(p[0], p[2]),
            approve(*p[:11]),  # 11 ticks for 10 seats: void
            {},  # blank: valid, approves nothing
            approve(p[1]),
        ],
        district_staff,
    )
    services.vote_close(vote=open_vote, by=district_staff)

    login(client, district_staff)
    sheet = client.get(f"/livelihood-votes/{open_vote.pk}/results/print/").content.decode()
    # 10 seated, 6 voted (more than half of 10 is at least 6).
    assert "应到代表 10 人，实际投票 6 人" in sheet
    # 6 ballots: the over-the-limit sheet is void, the blank one is valid.
    assert "收回选票 6 张，有效 5 张，无效 1 张。" in sheet
    # 民生项目1: 刘红, 张伟, sheet 1 = 3; 民生项目2: 刘红, 张伟, sheet 4 = 3;
    # 民生项目3: 刘红, sheet 1 = 2; the void sheet's ticks count for nobody.
    assert approvals_on(sheet, "民生项目1") == 3
    assert approvals_on(sheet, "民生项目2") == 3
    assert approvals_on(sheet, "民生项目3") == 2
    assert all(approvals_on(sheet, f"民生项目{n}") == 0 for n in range(4, 13))
    assert "结果与上表一致" in sheet  # the published list counted again agrees
    assert "监票人：" in sheet and "计票人：" in sheet  # room for the signatures
