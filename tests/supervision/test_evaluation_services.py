"""Department evaluation (工作评议) through its services: weighted means and ranking worked
out by hand, one ballot per representative, non-electors and the window refused, and the
steps' events. The figures are computed in the comments, not by the code under test."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from congress.ballots.errors import AlreadyVoted, NotAnElector, VoteNotOpen
from congress.errors import InvalidTransition, OutOfJurisdiction, RuleViolation
from congress.models import BallotBox, CaseEvent, Elector, PublishedBallot, SealedBallot, User
from supervision.evaluation import services
from supervision.models.evaluation import Evaluation, EvaluationSubject
from tests.conftest import World
from tests.supervision.evaluation_support import EvalCast, make_cast, make_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world: World, representative_user: User) -> EvalCast:
    return make_cast(world, representative_user)


def _scores(evaluation: Evaluation, table: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """One ballot: (工作作风, 服务质量) per department, in ballot order."""
    subjects = list(evaluation.subjects.order_by("order").values_list("pk", flat=True))
    criteria = list(evaluation.criteria.order_by("order").values_list("pk", flat=True))
    return {
        (subject, criterion): row[n]
        for subject, row in zip(subjects, table, strict=True)
        for n, criterion in enumerate(criteria)
    }


# (工作作风 70 %, 服务质量 30 %) for 交通, 水务, 住建, per voter
BALLOTS = [
    [(90, 80), (70, 90), (88, 77)],
    [(85, 75), (75, 80), (81, 79)],
    [(80, 70), (72, 88), (84, 83)],
    [(95, 85), (71, 85), (86, 80)],
]


def test_four_voters_three_departments_weighted_means_and_ranking_by_hand(
    cast: EvalCast, district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    evaluation = make_evaluation(cast.world.district, cast.departments, district_staff)
    evaluation = services.evaluation_open(evaluation=evaluation, by=district_staff)
    # The electorate: the five seated 海州区 representatives (吴明 sits for 临江区).
    assert evaluation.electorate == 5
    assert evaluation.box is not None and evaluation.box.kind == "score"
    receipts = [
        services.evaluation_score(
            evaluation=evaluation,
            representative=rep,
            scores=_scores(evaluation, table),
            by=rep.user,
        )
        for rep, table in zip(cast.voters, BALLOTS, strict=True)
    ]
    assert len(set(receipts)) == 4
    # Sealed while open: no figure anywhere.
    assert SealedBallot.objects.filter(box=evaluation.box).count() == 4
    assert not EvaluationSubject.objects.filter(evaluation=evaluation, score__isnull=False).exists()

    with django_capture_on_commit_callbacks(execute=True):
        evaluation = services.evaluation_close(evaluation=evaluation, by=district_staff)
    assert evaluation.status == "closed"
    assert (evaluation.voted, evaluation.electorate) == (4, 5)
    rows = {
        s.name: (s.score, s.rank, s.scored)
        for s in EvaluationSubject.objects.filter(evaluation=evaluation)
    }
    # 交通: 工作作风 90+85+80+95 = 350 → 87.5; 服务质量 80+75+70+85 = 310 → 77.5;
    #       0.7 × 87.5 + 0.3 × 77.5 = 61.25 + 23.25 = 84.50
    # 水务: 70+75+72+71 = 288 → 72; 90+80+88+85 = 343 → 85.75;
    #       0.7 × 72 + 0.3 × 85.75 = 50.4 + 25.725 = 76.125 → 76.13 (half up)
    # 住建: 88+81+84+86 = 339 → 84.75; 77+79+83+80 = 319 → 79.75;
    #       0.7 × 84.75 + 0.3 × 79.75 = 59.325 + 23.925 = 83.25
    assert rows == {
        "海州区交通运输局": (Decimal("84.50"), 1, 4),
        "海州区住房和城乡建设局": (Decimal("83.25"), 2, 4),
        "海州区水务局": (Decimal("76.13"), 3, 4),
    }
    # Published list: four ballots by receipt, nothing naming a voter.
    assert sorted(
        PublishedBallot.objects.filter(box=evaluation.box).values_list("receipt", flat=True)
    ) == sorted(receipts)

    evaluation = services.evaluation_publish(evaluation=evaluation, by=district_staff)
    assert evaluation.status == "published" and evaluation.published_at is not None
    assert list(
        CaseEvent.objects.filter(case_type="supervision.evaluation", case_id=evaluation.pk)
        .order_by("pk")
        .values_list("action", "from_status", "to_status")
    ) == [
        ("evaluation_create", "", ""),
        ("evaluation_open", "draft", "open"),
        ("evaluation_close", "open", "closed"),
        ("evaluation_publish", "closed", "published"),
    ]


def test_ties_share_a_rank() -> None:
    assert services.ranks(
        [
            (1, Decimal("80.00")),
            (2, Decimal("90.00")),
            (3, Decimal("80.00")),
            (4, None),
            (5, Decimal("70.5")),
        ]
    ) == {2: 1, 1: 2, 3: 2, 5: 4}


def test_a_representative_scores_once(cast: EvalCast, district_staff: User) -> None:
    evaluation = services.evaluation_open(
        evaluation=make_evaluation(cast.world.district, cast.departments, district_staff),
        by=district_staff,
    )
    liu = cast.voters[0]
    services.evaluation_score(
        evaluation=evaluation,
        representative=liu,
        scores=_scores(evaluation, BALLOTS[0]),
        by=liu.user,
    )
    with pytest.raises(AlreadyVoted):
        services.evaluation_score(
            evaluation=evaluation,
            representative=liu,
            scores=_scores(evaluation, BALLOTS[1]),
            by=liu.user,
        )
    assert SealedBallot.objects.filter(box=evaluation.box).count() == 1


def test_a_non_elector_is_refused(cast: EvalCast, district_staff: User) -> None:
    evaluation = services.evaluation_open(
        evaluation=make_evaluation(cast.world.district, cast.departments, district_staff),
        by=district_staff,
    )
    wu = cast.outsider
    with pytest.raises(NotAnElector):
        services.evaluation_score(
            evaluation=evaluation,
            representative=wu,
            scores=_scores(evaluation, BALLOTS[0]),
            by=wu.user,
        )
    # Someone else's ballot: refused before anything is read.
    with pytest.raises(NotAnElector):
        services.evaluation_score(
            evaluation=evaluation,
            representative=cast.voters[1],
            scores=_scores(evaluation, BALLOTS[0]),
            by=cast.voters[0].user,
        )
    assert not SealedBallot.objects.exists()
    assert not Elector.objects.filter(channel__isnull=False).exists()


def test_a_delegation_narrows_the_electorate(cast: EvalCast, district_staff: User) -> None:
    from representatives.models import Delegation, Mandate

    delegation = Delegation.objects.create(congress=cast.world.district.congress, name="新浦代表团")
    Mandate.objects.filter(representative__in=cast.voters[:2]).update(delegation=delegation)
    now = timezone.now()
    evaluation = services.evaluation_create(
        congress=cast.world.district.congress,
        title="新浦代表团评议",
        year=2026,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
        criteria=[("工作作风", 100)],
        departments=cast.departments[:1],
        delegation=delegation,
        by=district_staff,
    )
    evaluation = services.evaluation_open(evaluation=evaluation, by=district_staff)
    assert evaluation.electorate == 2
    outside = cast.voters[2]
    with pytest.raises(NotAnElector):
        services.evaluation_score(
            evaluation=evaluation,
            representative=outside,
            scores={key: 80 for key in services.cells_of(evaluation)},
            by=outside.user,
        )


def test_outside_the_window_is_refused(cast: EvalCast, district_staff: User) -> None:
    evaluation = services.evaluation_open(
        evaluation=make_evaluation(cast.world.district, cast.departments, district_staff),
        by=district_staff,
    )
    liu = cast.voters[0]
    now = timezone.now()
    for opens, closes in [
        (now + datetime.timedelta(hours=1), now + datetime.timedelta(days=1)),  # not yet
        (now - datetime.timedelta(days=2), now - datetime.timedelta(days=1)),  # over
    ]:
        Evaluation.objects.filter(pk=evaluation.pk).update(opens_at=opens, closes_at=closes)
        evaluation.refresh_from_db()
        with pytest.raises(VoteNotOpen) as refused:
            services.evaluation_score(
                evaluation=evaluation,
                representative=liu,
                scores=_scores(evaluation, BALLOTS[0]),
                by=liu.user,
            )
        assert str(refused.value.message) == "不在评议时间内，不能提交评分。"
    assert not SealedBallot.objects.exists()


def test_a_draft_or_closed_evaluation_takes_no_scores(cast: EvalCast, district_staff: User) -> None:
    evaluation = make_evaluation(cast.world.district, cast.departments, district_staff)
    liu = cast.voters[0]
    with pytest.raises(VoteNotOpen):
        services.evaluation_score(evaluation=evaluation, representative=liu, scores={}, by=liu.user)
    evaluation = services.evaluation_open(evaluation=evaluation, by=district_staff)
    evaluation = services.evaluation_close(evaluation=evaluation, by=district_staff)
    with pytest.raises(VoteNotOpen):
        services.evaluation_score(
            evaluation=evaluation,
            representative=liu,
            scores=_scores(evaluation, BALLOTS[0]),
            by=liu.user,
        )
    # Nobody scored: no figure, no rank.
    assert set(EvaluationSubject.objects.values_list("score", "rank")) == {(None, None)}


def test_missing_and_off_scale_scores_are_refused(cast: EvalCast, district_staff: User) -> None:
    evaluation = services.evaluation_open(
        evaluation=make_evaluation(cast.world.district, cast.departments, district_staff),
        by=district_staff,
    )
    liu = cast.voters[0]
    scores = _scores(evaluation, BALLOTS[0])
    first = next(iter(scores))
    with pytest.raises(RuleViolation, match="还有1项没有打分"):
        services.evaluation_score(
            evaluation=evaluation,
            representative=liu,
            scores={k: v for k, v in scores.items() if k != first},
            by=liu.user,
        )
    with pytest.raises(RuleViolation, match="不在0至100分之间"):
        services.evaluation_score(
            evaluation=evaluation, representative=liu, scores=scores | {first: 101}, by=liu.user
        )
    assert not SealedBallot.objects.exists()


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ([("工作作风", 60), ("服务质量", 30)], "权重之和须为100，现为90"),
        ([], "至少需要一项评议内容"),
        ([("工作作风", 50), ("工作作风", 50)], "不能重复"),
        ([("工作作风", 0), ("服务质量", 100)], "1至100之间的整数"),
    ],
)
def test_weights_must_add_up_to_100(
    cast: EvalCast, district_staff: User, criteria: list[tuple[str, int]], message: str
) -> None:
    with pytest.raises(RuleViolation, match=message):
        make_evaluation(cast.world.district, cast.departments, district_staff, criteria=criteria)
    assert not Evaluation.objects.exists()


def test_departments_of_another_region_are_refused(
    cast: EvalCast, district_staff: User, city_staff: User
) -> None:
    # 海州区 staff cannot name 临江区's department at all (out of their jurisdiction: 404).
    with pytest.raises(OutOfJurisdiction):
        make_evaluation(cast.world.district, cast.other_departments, district_staff)
    # City staff may, but 海州区's congress evaluates 海州区's departments only.
    with pytest.raises(RuleViolation, match="不是本行政区划的部门"):
        make_evaluation(cast.world.district, cast.other_departments, city_staff)
    assert not Evaluation.objects.exists()


def test_steps_stay_in_the_jurisdiction(
    cast: EvalCast, district_staff: User, other_district_staff: User
) -> None:
    evaluation = make_evaluation(cast.world.district, cast.departments, district_staff)
    with pytest.raises(OutOfJurisdiction):
        services.evaluation_open(evaluation=evaluation, by=other_district_staff)
    evaluation = services.evaluation_open(evaluation=evaluation, by=district_staff)
    with pytest.raises(OutOfJurisdiction):
        services.evaluation_close(evaluation=evaluation, by=other_district_staff)
    with pytest.raises(InvalidTransition):
        services.evaluation_publish(evaluation=evaluation, by=district_staff)
    assert Evaluation.objects.get().status == "open"
    assert BallotBox.objects.get().status == "open"


def test_appointed_officials_are_scored_the_same_way(cast: EvalCast, district_staff: User) -> None:
    now = timezone.now()
    evaluation = services.evaluation_create(
        congress=cast.world.district.congress,
        title="任命人员履职评议",
        year=2026,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
        criteria=[("德", 50), ("能", 50)],
        officials=[
            services.Official("王局长", "海州区交通运输局局长"),
            services.Official("李局长"),
        ],
        by=district_staff,
    )
    evaluation = services.evaluation_open(evaluation=evaluation, by=district_staff)
    cells = services.cells_of(evaluation)
    wang, li = evaluation.subjects.order_by("order")
    for rep, (w, li_) in zip(
        cast.voters[:2], [((90, 80), (60, 70)), ((70, 81), (65, 75))], strict=True
    ):
        crit = list(evaluation.criteria.order_by("order").values_list("pk", flat=True))
        scores = {
            (wang.pk, crit[0]): w[0],
            (wang.pk, crit[1]): w[1],
            (li.pk, crit[0]): li_[0],
            (li.pk, crit[1]): li_[1],
        }
        assert set(scores) == set(cells)
        services.evaluation_score(
            evaluation=evaluation, representative=rep, scores=scores, by=rep.user
        )
    services.evaluation_close(evaluation=evaluation, by=district_staff)
    wang.refresh_from_db(), li.refresh_from_db()
    # 王: 德 (90+70)/2 = 80, 能 (80+81)/2 = 80.5 → 0.5 × 80 + 0.5 × 80.5 = 80.25
    # 李: 德 (60+65)/2 = 62.5, 能 (70+75)/2 = 72.5 → 67.50
    assert (wang.kind, wang.post, wang.score, wang.rank) == (
        "official",
        "海州区交通运输局局长",
        Decimal("80.25"),
        1,
    )
    assert (li.score, li.rank) == (Decimal("67.50"), 2)


def test_cancelling_an_open_evaluation_discards_its_scores_unopened(
    cast: EvalCast, district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    from congress.ballots import sealing

    evaluation = services.evaluation_open(
        evaluation=make_evaluation(cast.world.district, cast.departments, district_staff),
        by=district_staff,
    )
    liu = cast.voters[0]
    services.evaluation_score(
        evaluation=evaluation,
        representative=liu,
        scores=_scores(evaluation, BALLOTS[0]),
        by=liu.user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = services.evaluation_cancel(
            evaluation=evaluation, by=district_staff, reason="评议对象有误"
        )
    assert evaluation.status == "cancelled"
    box = BallotBox.objects.get()
    assert box.status == "discarded" and box.counts is None
    assert not SealedBallot.objects.exists() and not PublishedBallot.objects.exists()
    with pytest.raises(sealing.KeyMissing):
        sealing.private_key(box.pk)
    with pytest.raises(VoteNotOpen):
        services.evaluation_score(
            evaluation=evaluation,
            representative=cast.voters[1],
            scores=_scores(evaluation, BALLOTS[1]),
            by=cast.voters[1].user,
        )
    with pytest.raises(InvalidTransition):
        services.evaluation_cancel(evaluation=evaluation, by=district_staff)
    event = CaseEvent.objects.get(action="evaluation_cancel")
    assert (event.from_status, event.to_status, event.note) == ("open", "cancelled", "评议对象有误")
    # A draft is cancelled without a box.
    draft = make_evaluation(cast.world.district, cast.departments, district_staff, title="草稿")
    assert services.evaluation_cancel(evaluation=draft, by=district_staff).status == "cancelled"
