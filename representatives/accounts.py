"""Logins for many representatives at once (开通登录账号), with a preview and a report.

Staff choose the representatives (a congress, a level, a district, or the people of
an imported sheet), see what will happen to each one, confirm, and get the same table
as a report. A login is what the single creation (``services.representative_create_login``)
makes: a ``User`` linked to the person through ``Representative.user`` (a representative
holds no role grant: what they see follows from that link and their live seats), with
the person's name and mobile. Here the password is unusable: a representative signs in
with an SMS code (representatives/signin.py). One login per person, however many seats.

Writes go in batches, each in its own transaction, on rows locked and read again
inside it; a person who already has a login is reported as such, so a run that was
interrupted is finished by running it again, without duplicates.

What happens to each person is worked out by the database (``_outcome``), so the
preview of a city's 10,000 representatives costs two queries and one page of rows
in Python: the counts of everyone, and the page shown (``PAGE_SIZE`` rows).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    TextChoices,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.areas import area_q
from congress.audit import audit_record
from congress.errors import OutOfJurisdiction, RuleViolation
from congress.models import AuditAction, CaseEvent, Congress, User
from congress.scoping import is_staff_or_admin, visible_regions
from representatives.models import Mandate, MandateStatus, Representative, mask_phone
from representatives.selectors import visible_representatives
from representatives.services import REPRESENTATIVE_CASE

BATCH = 500
# Rows of the preview per page (the counts above it cover everyone selected), and the
# most an API client may ask for at once.
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# ``validators.validate_mobile``'s pattern, in the SQL both databases understand.
MOBILE_PATTERN = r"^1[0-9]{10}$"
# The table's order: by place, then name.
ORDER = ("region__path", "name", "pk")


class Outcome(TextChoices):
    CREATED = "created", gettext_lazy("开通登录账号")
    HAS_LOGIN = "has_login", gettext_lazy("已有登录账号")
    NO_MOBILE = "no_mobile", gettext_lazy("未登记手机号")
    BAD_MOBILE = "bad_mobile", gettext_lazy("手机号格式不正确")
    SHARED_MOBILE = "shared_mobile", gettext_lazy("手机号与其他代表相同")
    NO_SEAT = "no_seat", gettext_lazy("无在任职务")


@dataclass(frozen=True)
class AccountRow:
    """What happens (preview) or happened (report) to one representative."""

    representative_id: int
    name: str
    region: str
    masked_mobile: str
    outcome: str
    username: str = ""

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)

    @property
    def created(self) -> bool:
        return self.outcome == Outcome.CREATED


def labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, how many) for each outcome that occurs, in the table's order."""
    return [(str(label), counts[value]) for value, label in Outcome.choices if counts.get(value)]


@dataclass(frozen=True)
class Preview:
    """One page of the preview, and the counts of everyone selected."""

    rows: list[AccountRow]
    counts: dict[str, int]
    page: int
    page_size: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def creatable(self) -> int:
        return self.counts.get(Outcome.CREATED, 0)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def labelled_counts(self) -> list[tuple[str, int]]:
        return labelled(self.counts)


def selectable(by: User) -> QuerySet[Representative]:
    """The representatives ``by`` may give logins to: staff's jurisdiction, else none."""
    if not is_staff_or_admin(by):
        raise OutOfJurisdiction
    return visible_representatives(by)


def select(
    *,
    by: User,
    congress: int | None = None,
    level: str = "",
    region: int | None = None,
    ids: Sequence[int] = (),
) -> QuerySet[Representative]:
    """The representatives a selection names (the page's form and the API alike): the
    people of ``ids``, with a live seat in ``congress`` and/or at ``level``, registered
    in ``region`` or below; all conditions given must hold.

    A congress, a region or a representative outside ``by``'s jurisdiction is a 404
    (``OutOfJurisdiction``), raised before anything is read for it; a selection that
    names nothing is refused: "all representatives" is never a default.
    """
    people = selectable(by)
    if not (congress or level or region or ids):
        raise RuleViolation(_("请至少选择人大、层级或地区之一。"))
    if ids:
        wanted = set(ids)
        if people.filter(pk__in=wanted).count() != len(wanted):
            raise OutOfJurisdiction
        people = people.filter(pk__in=wanted)
    seats = Mandate.objects.filter(status=MandateStatus.ACTIVE)
    if congress:
        if not Congress.objects.filter(pk=congress, region__in=visible_regions(by)).exists():
            raise OutOfJurisdiction
        seats = seats.filter(term__congress=congress)
    if level:
        seats = seats.filter(level=level)
    if congress or level:
        people = people.filter(pk__in=seats.values("representative"))
    if region:
        place = visible_regions(by).filter(pk=region).first()
        if place is None:
            raise OutOfJurisdiction
        people = people.filter(area_q(place))
    return people


def _outcome() -> Case:
    """Each person's outcome, in SQL, in the order the rules are checked: counted over
    a city's thousands by the database, not by building a row per person here. A
    number is shared when any other representative (anywhere) has it: a code sent to
    it could open either login, so neither gets one (on the ``mobile`` index)."""
    shared = Representative.objects.filter(mobile=OuterRef("mobile")).exclude(pk=OuterRef("pk"))
    seated = Mandate.objects.filter(representative=OuterRef("pk"), status=MandateStatus.ACTIVE)
    return Case(
        When(user__isnull=False, then=Value(Outcome.HAS_LOGIN.value)),
        When(mobile="", then=Value(Outcome.NO_MOBILE.value)),
        When(~Q(mobile__regex=MOBILE_PATTERN), then=Value(Outcome.BAD_MOBILE.value)),
        When(Exists(shared), then=Value(Outcome.SHARED_MOBILE.value)),
        When(~Exists(seated), then=Value(Outcome.NO_SEAT.value)),
        default=Value(Outcome.CREATED.value),
        output_field=CharField(),
    )


def _in_scope(representatives: QuerySet[Representative], by: User) -> QuerySet[Representative]:
    return selectable(by).filter(pk__in=representatives.values("pk"))


def _counts(people: QuerySet[Representative]) -> dict[str, int]:
    """How many of them per outcome: one grouped query."""
    grouped = (
        people.annotate(outcome=_outcome())
        .order_by()
        .values("outcome")
        .annotate(people=Count("pk"))
        .values_list("outcome", "people")
    )
    return dict(grouped)


def _rows(
    people: QuerySet[Representative], start: int = 0, stop: int | None = None
) -> list[AccountRow]:
    """The table's rows of ``people`` from ``start`` to ``stop``, in the table's order."""
    values = (
        people.annotate(outcome=_outcome())
        .order_by(*ORDER)
        .values_list("pk", "name", "region__name", "mobile", "outcome")
    )
    return [
        AccountRow(pk, name, region, mask_phone(mobile), outcome)
        for pk, name, region, mobile, outcome in values[start:stop]
    ]


def accounts_preview(
    *,
    representatives: QuerySet[Representative],
    by: User,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Preview:
    """What ``accounts_create`` would do: the counts of everyone selected and one page
    of the rows (a page past the last shows the last); writes nothing. Two queries
    whatever the number of people, both in the database: a city's 10,000 cost no
    Python per person."""
    people = _in_scope(representatives, by)
    counts = _counts(people)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, min(page, math.ceil(sum(counts.values()) / page_size) or 1))
    start = (page - 1) * page_size
    rows = _rows(people, start, start + page_size) if counts else []
    return Preview(rows=rows, counts=counts, page=page, page_size=page_size)


def accounts_create(
    *, representatives: QuerySet[Representative], by: User, batch: int = BATCH
) -> list[AccountRow]:
    """Give a login to each of them who can have one; returns the per-row report.

    Staff only, within their jurisdiction (others: 404). Safe to run again: whoever
    got a login in an earlier (or a concurrent) run is reported as "已有登录账号".
    """
    report = {row.representative_id: row for row in _rows(_in_scope(representatives, by))}
    ready = [pk for pk, row in report.items() if row.created]
    for start in range(0, len(ready), batch):
        made = _create_batch(ready[start : start + batch], by)
        for pk in ready[start : start + batch]:
            row = report[pk]
            username = made.get(pk)
            # Not made here: a concurrent run made it between the plan and the lock.
            outcome = Outcome.CREATED if username else Outcome.HAS_LOGIN
            report[pk] = AccountRow(
                pk, row.name, row.region, row.masked_mobile, outcome, username or ""
            )
    rows = list(report.values())
    audit_record(
        action=AuditAction.ADMIN_ADD,
        actor=by,
        detail={
            "representative_logins": len(rows),
            "created": sum(row.created for row in rows),
        },
    )
    return rows


def _usernames(people: Sequence[Representative]) -> dict[int, str]:
    """The login name of each person: the mobile number, or ``rep<id>`` when another
    login already has that name (the number is the sign-in, the name is only a label)."""
    wanted = {rep.pk: rep.mobile for rep in people}
    taken = set(
        User.objects.filter(
            username__in=[*wanted.values(), *(f"rep{pk}" for pk in wanted)]
        ).values_list("username", flat=True)
    )
    return {pk: mobile if mobile not in taken else f"rep{pk}" for pk, mobile in wanted.items()}


def _create_batch(ids: Sequence[int], by: User) -> dict[int, str]:
    """One transaction: lock the people still without a login, make theirs, link them;
    returns the username made for each (by representative id)."""
    now = timezone.now()
    with transaction.atomic():
        people = list(
            Representative.objects.select_for_update(of=("self",))
            .filter(pk__in=list(ids), user__isnull=True)
            .order_by("pk")
        )
        if not people:
            return {}
        names = _usernames(people)
        users = User.objects.bulk_create(
            [
                User(
                    username=names[rep.pk],
                    password=make_password(None),  # unusable: the sign-in is an SMS code
                    display_name=rep.name,
                    mobile=rep.mobile,
                )
                for rep in people
            ]
        )
        for rep, user in zip(people, users, strict=True):
            rep.user = user
            rep.updated_at = now
        Representative.objects.bulk_update(people, ["user", "updated_at"])
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case_type=REPRESENTATIVE_CASE,
                    case_id=rep.pk,
                    actor=by,
                    actor_label=str(by),
                    action="create_login",
                    data={"username": names[rep.pk], "bulk": True},
                )
                for rep in people
            ]
        )
    return names


def tally(rows: Iterable[AccountRow]) -> dict[str, int]:
    """How many rows of a report per outcome."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.outcome] = counts.get(row.outcome, 0) + 1
    return counts


def outcome_counts(rows: Iterable[AccountRow]) -> list[tuple[str, int]]:
    """(label, how many) for each outcome that occurs in a report, in the table's order."""
    return labelled(tally(rows))
