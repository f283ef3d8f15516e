"""generate_city on PostgreSQL past its template: the blocks the database copies.

The story: an operator generates a province of millions of problems. Python tells
the first problems (the template) as the services would have written them, and
PostgreSQL copies them block after block (docs/benchmarks.md, "Generator"). Here a
small city of 1,000 problems from a template of 150 (six copies and a partial
seventh) must hang together exactly as a city told problem by problem does.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from congress.models import OPEN_STATUSES, Assignment, CaseEvent, Region, RegionLevel
from suggestions.models.citizen import CitizenIssue
from tests.test_generate_city import ISSUE_CASE, _check_reads

PROBLEMS = 1_000
TEMPLATE = 150

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cloned_city() -> Region:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://...): SQLite tells every problem")
    call_command(
        "generate_city",
        scale="tiny",
        problems=PROBLEMS,
        suggestions=10,
        template=TEMPLATE,
        seed=5,
        verbosity=0,
    )
    return Region.objects.get(level=RegionLevel.CITY, parent__code="980000000000")


def _sql(query: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return list(cursor.fetchall())


def test_the_copies_keep_the_reads_the_lists_rely_on(cloned_city: Region) -> None:
    assert CitizenIssue.objects.count() == PROBLEMS
    ids = sorted(CitizenIssue.objects.values_list("pk", flat=True))
    assert ids == list(range(ids[0], ids[0] + PROBLEMS))  # one block after the other
    # The summary equals a COUNT, area columns follow the region's path, each
    # problem's next due date is the earliest of its open steps.
    _check_reads(cloned_city)


def test_tracking_codes_links_and_keys_are_unique_and_named_in_their_own_timeline(
    cloned_city: Region,
) -> None:
    rows = list(
        CitizenIssue.objects.values_list("pk", "tracking_code", "tracking_token", "idempotency_key")
    )
    for column in (1, 2, 3):
        values = [row[column] for row in rows]
        assert len(set(values)) == PROBLEMS
    codes = {pk: code for pk, code, _token, _key in rows}
    for code in codes.values():
        assert len(code) == 8 and set(code) <= set("ABCDEFGHJKMNPQRTUVWXY346789")
    for pk, token, _code_key in ((r[0], r[2], r[3]) for r in rows):
        assert len(token) == 32 and "+" not in token and "/" not in token, pk
    # The 受理 step's title and the submission's public note carry the problem's own code.
    for case_id, title in Assignment.objects.filter(case_type=ISSUE_CASE).values_list(
        "case_id", "title"
    ):
        assert title.startswith(codes[case_id] + " "), (case_id, title)
    submitted = CaseEvent.objects.filter(case_type=ISSUE_CASE, action="submit")
    assert submitted.count() == PROBLEMS
    for case_id, note in submitted.values_list("case_id", "public_note"):
        assert f"查询码 {codes[case_id]}。" in note, (case_id, note)


def test_events_and_steps_belong_to_their_case_and_every_key_points_at_a_row(
    cloned_city: Region,
) -> None:
    issues, steps, events = (m._meta.db_table for m in (CitizenIssue, Assignment, CaseEvent))
    # A step's event is on the timeline of the step's own case.
    assert not _sql(
        f"SELECT e.id FROM {events} e JOIN {steps} a ON a.id = e.assignment_id "  # noqa: S608
        "WHERE a.case_id <> e.case_id OR a.case_type <> e.case_type"
    )
    for table in (steps, events):
        assert not _sql(
            f"SELECT t.id FROM {table} t WHERE t.case_type = '{ISSUE_CASE}' AND NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {issues} i WHERE i.id = t.case_id)"
        ), table
    # Every problem has its submission, its 受理 step, and its timeline in time order:
    # the submission first.
    first_actions = _sql(
        f"SELECT DISTINCT ON (case_id) action FROM {events} "  # noqa: S608
        f"WHERE case_type = '{ISSUE_CASE}' ORDER BY case_id, at, id"
    )
    assert Counter(a for (a,) in first_actions) == Counter({"submit": PROBLEMS})
    assert (
        Assignment.objects.filter(case_type=ISSUE_CASE).values("case_id").distinct().count()
        == PROBLEMS
    )
    # Foreign keys (the load skipped the per-row checks): each one, by hand.
    from congress.synthetic import check_foreign_keys

    check_foreign_keys([issues, steps, events])
    assert not _sql(
        f"SELECT id FROM {events} e WHERE assignment_id IS NOT NULL AND NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {steps} a WHERE a.id = e.assignment_id)"
    )
    # The sequences are past the copies: the next row the services write gets a new id.
    top = max(CaseEvent.objects.values_list("pk", flat=True))
    assert _sql(f"SELECT nextval(pg_get_serial_sequence('{events}', 'id'))")[0][0] > top
    top = max(Assignment.objects.values_list("pk", flat=True))
    assert _sql(f"SELECT nextval(pg_get_serial_sequence('{steps}', 'id'))")[0][0] > top


def test_each_block_has_a_mix_of_states_whose_timelines_end_in_them(cloned_city: Region) -> None:
    first = min(CitizenIssue.objects.values_list("pk", flat=True))
    blocks: dict[int, Counter[str]] = {}
    for pk, status in CitizenIssue.objects.values_list("pk", "status"):
        blocks.setdefault((pk - first) // TEMPLATE, Counter())[status] += 1
    assert len(blocks) == 7  # the template, five full copies of 150 and the last 100
    template = blocks[0]
    # The template's own mix, as the services' stories left it: mostly closed (two
    # years of problems), some still open, some declined or answered.
    assert len(template) >= 4, template
    assert template["closed"] < sum(template.values())
    assert set(template) & {"submitted", "accepted", "with_representative", "forwarded"}
    for block in range(1, 6):
        assert blocks[block] == template, block  # each copy keeps it
    assert sum(blocks[6].values()) == PROBLEMS - 6 * TEMPLATE
    assert not set(blocks[6]) - set(template)
    # Work still open has an open step, and each status is where its timeline ends.
    open_cases = set(
        Assignment.objects.filter(case_type=ISSUE_CASE, status__in=OPEN_STATUSES).values_list(
            "case_id", flat=True
        )
    )
    last: dict[int, str] = {}
    for case_id, to_status in (
        CaseEvent.objects.filter(case_type=ISSUE_CASE, assignment__isnull=True)
        .exclude(to_status="")
        .order_by("at", "pk")
        .values_list("case_id", "to_status")
    ):
        last[case_id] = to_status
    for pk, status in CitizenIssue.objects.values_list("pk", "status"):
        assert last[pk] == status, pk
        if status in {"submitted", "accepted", "with_representative", "forwarded"}:
            assert pk in open_cases, (pk, status)
        if status in {"closed", "declined", "converted", "answered"}:
            assert pk not in open_cases, (pk, status)
    # Open steps wait in the reminder queue; closed ones do not.
    open_steps = Assignment.objects.filter(case_type=ISSUE_CASE, status__in=OPEN_STATUSES)
    assert not open_steps.filter(next_reminder_at__isnull=True).exists()
    assert (
        not Assignment.objects.filter(case_type=ISSUE_CASE)
        .exclude(status__in=OPEN_STATUSES)
        .filter(next_reminder_at__isnull=False)
        .exists()
    )


def test_a_copy_happens_on_its_template_problems_day_never_later(cloned_city: Region) -> None:
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    first = min(CitizenIssue.objects.values_list("pk", flat=True))
    created = dict(CitizenIssue.objects.values_list("pk", "created_at"))
    spread = 0  # problems whose copies lie at least ten minutes apart
    for n in range(TEMPLATE):
        original = created[first + n]
        copies = [created[first + k * TEMPLATE + n] for k in range(1, 6)]
        for moment in copies:
            assert moment.astimezone(shanghai).date() == original.astimezone(shanghai).date()
            assert moment <= original
        if max(copies) - min(copies) >= datetime.timedelta(minutes=10):
            spread += 1
    # The copies of a problem are spread over its day, not piled on one instant (the
    # newest page of a list would be one problem copied): all but those submitted in
    # the first minutes after midnight.
    assert spread >= 0.8 * TEMPLATE, spread


def test_the_indexes_dropped_for_the_copies_are_built_again(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")

    def indexes() -> list[str]:
        return [
            row[0]
            for row in _sql(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"
            )
        ]

    before = indexes()
    call_command(
        "generate_city", scale="tiny", problems=400, suggestions=0, template=100, verbosity=0
    )
    assert indexes() == before
    assert CitizenIssue.objects.count() == 400
