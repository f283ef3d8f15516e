"""Facts the lists read, kept in step with the rows (docs/architecture.md, "Reads that do not grow
with the data"): the per-area counts, each problem's area columns and earliest due date.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from congress.areas import area_columns, rows_follow_region
from congress.models import OPEN_STATUSES, Assignment, Region
from congress.summary import counter_add
from suggestions.citizen.services.monthly import issue_month_counts_rebuild
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueCount, IssueDepartment


def _count(issue: CitizenIssue, *, delta: int, status: str = "", flag: bool | None = None) -> None:
    counter_add(
        IssueCount,
        delta=delta,
        area_id=issue.count_area_id,
        status=status or issue.status,
        needs_supervision=issue.needs_supervision if flag is None else flag,
    )


def _count_move(issue: CitizenIssue, status: str, flag: bool) -> None:
    """Move the problem from its old (status, 需督办) count to its new one."""
    if (status, flag) != (issue.status, issue.needs_supervision):
        _count(issue, delta=-1, status=status, flag=flag)
        _count(issue, delta=1)


def issue_steps_changed(case_id: int) -> None:
    """The engine's hook (``CaseType.on_steps_changed``): one of the problem's steps
    was created, moved, extended, paused or closed. In the same transaction its row
    takes the earliest due date of its open steps, and every department given a step
    of it gets its ``IssueDepartment`` row (the clerks' scope and list order).

    The row is locked first and the steps read after the lock: of two steps of one
    problem changed at once, the second reads the first's committed change (a
    single UPDATE would compute its subquery from a snapshot taken before the wait).
    """
    rows = CitizenIssue.objects.filter(pk=case_id)
    locked = list(rows.select_for_update().values_list("created_at", "status", "needs_supervision"))
    if not locked:
        return
    created_at, status, flag = locked[0]
    steps = Assignment.objects.filter(case_type=ISSUE_CASE, case_id=case_id).order_by(
        "due_on", "pk"
    )
    due, provisional = None, False
    departments: set[int] = set()
    for step_status, due_on, due_provisional, department in steps.values_list(
        "status", "due_on", "due_provisional", "department_id"
    ):
        if step_status in OPEN_STATUSES and due is None and due_on is not None:
            due, provisional = due_on, due_provisional
        if department is not None:
            departments.add(department)
    rows.update(next_due_on=due, next_due_provisional=provisional)
    if departments:  # a department already recorded takes the due date; a new one its row
        IssueDepartment.objects.filter(issue_id=case_id).update(next_due_on=due)
        IssueDepartment.objects.bulk_create(
            [
                IssueDepartment(
                    issue_id=case_id,
                    department_id=department,
                    issue_created_at=created_at,
                    status=status,
                    needs_supervision=flag,
                    next_due_on=due,
                )
                for department in sorted(departments)
            ],
            ignore_conflicts=True,
        )


def issue_departments_follow(issue: CitizenIssue) -> None:
    """The problem's status or 需督办 flag moved: its departments' rows take them
    (called by the channel's one ``_transition``, in its transaction)."""
    IssueDepartment.objects.filter(issue_id=issue.pk).update(
        status=issue.status, needs_supervision=issue.needs_supervision
    )


def issue_departments_rebuild() -> int:
    """Fill ``IssueDepartment`` again from the steps (repair; after rows were written
    in bulk). Returns the number of rows. Cost: one set-based INSERT … SELECT."""
    with transaction.atomic():
        IssueDepartment.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(ISSUE_DEPARTMENTS_FILL, [ISSUE_CASE])
            return cursor.rowcount


ISSUE_DEPARTMENTS_FILL = """
INSERT INTO suggestions_issuedepartment
    (issue_id, department_id, issue_created_at, status, needs_supervision, next_due_on)
SELECT DISTINCT a.case_id, a.department_id, i.created_at, i.status, i.needs_supervision,
    i.next_due_on
FROM congress_assignment a
JOIN suggestions_citizenissue i ON i.id = a.case_id
WHERE a.case_type = %s AND a.department_id IS NOT NULL
"""


def issues_follow_region(region: Region) -> int:
    """After a region was saved: if it moved in the tree, its problems take their new
    ``area_N`` (``rows_follow_region``) and move between counts. Returns how many
    problems moved."""
    with transaction.atomic():
        moved = rows_follow_region(CitizenIssue.objects.all(), region)
        if moved:
            issue_counts_rebuild()
            issue_month_counts_rebuild()
    return moved


def _counted_from_table() -> dict[tuple[int, str, bool], int]:
    area = Coalesce("area_3", "area_2", "area_1", "area_0")
    groups = (
        CitizenIssue.objects.filter(area_0__isnull=False)
        .values(key=area, state=F("status"), flag=F("needs_supervision"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(g["key"], g["state"], g["flag"]): g["n"] for g in groups}


def issue_counts_differences() -> dict[tuple[int, str, bool], tuple[int, int]]:
    """Summary rows that differ from a plain COUNT: {(area, status, flag): (kept, counted)}."""
    counted = _counted_from_table()
    kept = {
        (row.area_id, row.status, row.needs_supervision): row.count
        for row in IssueCount.objects.all()
    }
    return {
        key: (kept.get(key, 0), counted.get(key, 0))
        for key in set(kept) | set(counted)
        if kept.get(key, 0) != counted.get(key, 0)
    }


def issue_counts_rebuild() -> int:
    """Count the problems again into ``IssueCount`` (repair; a moved region). Returns
    the number of summary rows. Cost: one grouped scan of the problems."""
    rows = [
        IssueCount(area_id=area, status=status, needs_supervision=flag, count=n)
        for (area, status, flag), n in _counted_from_table().items()
    ]
    with transaction.atomic():
        IssueCount.objects.all().delete()
        IssueCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def issue_reads_rebuild(*, batch: int = 5000) -> dict[str, int]:
    """Recompute every fact the lists read from the tables they come from: each
    problem's ``area_N`` (from its region) and ``next_due_on`` (from its open
    steps), then the counts. For repair, and after rows were written in bulk
    (the demo, ``generate_city``). Cost: one UPDATE per region holding problems,
    one UPDATE per ``batch`` problems, one grouped scan, one pass for the monthly
    summary (``services.monthly``)."""
    areas = 0
    places = Region.objects.filter(
        pk__in=CitizenIssue.objects.order_by().values("region_id").distinct()
    )
    for place in places.iterator(chunk_size=2000):
        areas += CitizenIssue.objects.filter(region=place).update(**area_columns(place))
    steps = Assignment.objects.filter(
        case_type=ISSUE_CASE, case_id=OuterRef("pk"), status__in=OPEN_STATUSES
    ).order_by("due_on", "pk")
    dues = 0
    last = 0
    while True:
        ids = list(
            CitizenIssue.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        dues += CitizenIssue.objects.filter(pk__in=ids).update(
            next_due_on=Subquery(steps.values("due_on")[:1]),
            next_due_provisional=Coalesce(Subquery(steps.values("due_provisional")[:1]), False),
        )
        last = ids[-1]
    return {
        "areas": areas,
        "due_dates": dues,
        "counts": issue_counts_rebuild(),
        "monthly": issue_month_counts_rebuild(),
        "departments": issue_departments_rebuild(),
    }
