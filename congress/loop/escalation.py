"""Who must act on an assignment and who hears when it is overdue (escalation to the
supervising department or the congress staff above)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Q,
)

from congress.models import (
    Assignment,
    Region,
    Role,
    RoleGrant,
    User,
)


@dataclass
class People:
    """Active clerks by department and congress staff by region, read in one query
    for a whole batch of assignments (the sweep), or for one."""

    handlers: dict[int, list[User]] = field(default_factory=dict)
    staff: dict[int, list[User]] = field(default_factory=dict)

    @classmethod
    def of(cls, *, departments: Iterable[int], regions: Iterable[int]) -> People:
        people = cls()
        departments, regions = set(departments) - {0}, set(regions) - {0}
        if not departments and not regions:
            return people
        grants = RoleGrant.objects.filter(
            Q(role=Role.HANDLER, department_id__in=departments)
            | Q(role=Role.STAFF, region_id__in=regions),
            user__is_active=True,
        ).select_related("user")
        for grant in grants.order_by("user_id"):
            if grant.role == Role.HANDLER:
                found = people.handlers.setdefault(grant.department_id or 0, [])
            else:
                found = people.staff.setdefault(grant.region_id or 0, [])
            if all(user.pk != grant.user_id for user in found):  # two grants, one person
                found.append(grant.user)
        return people

    @classmethod
    def for_stages(cls, stages: Iterable[tuple[Assignment, int]]) -> People:
        """Everyone who may hear of these (assignment, escalation level) pairs."""
        departments: set[int] = set()
        regions: set[int] = set()
        for assignment, level in stages:
            if level:
                department_id, region_id = _escalation_to(assignment, level)
                departments.add(department_id or 0)
                regions.add(region_id or 0)
            else:
                departments.add(assignment.department_id or 0)
                regions.add(assignment.staff_region_id or 0)
        return cls.of(departments=departments, regions=regions)

    def recipients(self, assignment: Assignment, level: int) -> list[User]:
        """Who hears of ``assignment`` at escalation ``level`` (0: a plain reminder)."""
        if level:
            department_id, region_id = _escalation_to(assignment, level)
            found = self.handlers.get(department_id or 0) or self.staff.get(region_id or 0)
            return found or []
        if assignment.department_id:
            return self.handlers.get(assignment.department_id, [])
        if assignment.user_id:
            return [assignment.user] if assignment.user and assignment.user.is_active else []
        return self.staff.get(assignment.staff_region_id or 0, [])


def _escalation_to(assignment: Assignment, level: int) -> tuple[int | None, int | None]:
    """Whose people hear escalation ``level`` (1, then 2 = a level up): a supervising
    department's clerks, else (no such department, or none of its clerks active) the
    congress staff of a region.

    A department escalates to its parent department (then the parent's parent);
    a department without a parent, a representative or a staff unit escalates to
    the congress staff of the region concerned, then of the region above.
    """
    department = assignment.department
    for _step in range(level):
        if department is None or department.parent_id is None:
            break
        department = department.parent
    above = department.pk if department and department.pk != assignment.department_id else None
    if assignment.department_id and assignment.department is not None:
        region: Region | None = assignment.department.region
    elif assignment.staff_region_id:
        region = assignment.staff_region.parent if assignment.staff_region else None
    else:
        region = assignment.region
    for _step in range(level - 1):
        region = region.parent if region is not None else None
    return above, region.pk if region is not None else None


def assignees(assignment: Assignment) -> list[User]:
    """The people who must act on an assignment."""
    return People.for_stages([(assignment, 0)]).recipients(assignment, 0)


def supervisors(assignment: Assignment, level: int) -> list[User]:
    """Who hears of an overdue assignment at escalation ``level`` (see ``_escalation_to``)."""
    return People.for_stages([(assignment, level)]).recipients(assignment, level)
