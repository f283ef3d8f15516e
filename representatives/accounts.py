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
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.audit import audit_record
from congress.errors import OutOfJurisdiction
from congress.models import AuditAction, CaseEvent, User
from congress.scoping import is_staff_or_admin
from representatives.models import MandateStatus, Representative, mask_phone
from representatives.selectors import visible_representatives
from representatives.services import REPRESENTATIVE_CASE
from representatives.validators import validate_mobile

BATCH = 500


class Outcome(TextChoices):
    CREATED = "created", _("开通登录账号")
    HAS_LOGIN = "has_login", _("已有登录账号")
    NO_MOBILE = "no_mobile", _("未登记手机号")
    BAD_MOBILE = "bad_mobile", _("手机号格式不正确")
    SHARED_MOBILE = "shared_mobile", _("手机号与其他代表相同")
    NO_SEAT = "no_seat", _("无在任职务")


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


def selectable(by: User) -> QuerySet[Representative]:
    """The representatives ``by`` may give logins to: staff's jurisdiction, else none."""
    if not is_staff_or_admin(by):
        raise OutOfJurisdiction
    return visible_representatives(by)


def _shared_mobiles(people: QuerySet[Representative]) -> set[str]:
    """Numbers of the selection that more than one representative has (anywhere): a
    code sent to such a number could open either login, so neither gets one."""
    return set(
        Representative.objects.filter(mobile__in=people.exclude(mobile="").values("mobile"))
        .values("mobile")
        .annotate(people=Count("pk"))
        .filter(people__gt=1)
        .values_list("mobile", flat=True)
    )


def _with_seat(people: QuerySet[Representative]) -> set[int]:
    return set(people.filter(mandates__status=MandateStatus.ACTIVE).values_list("pk", flat=True))


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


@dataclass(frozen=True)
class _Person:
    """The columns the plan reads, as plain values: a selection of a city's thousands
    of representatives builds no model instance per person."""

    pk: int
    name: str
    mobile: str
    user_id: int | None
    region_name: str


def _outcome(rep: _Person, shared: set[str], seated: set[int]) -> str:
    if rep.user_id is not None:
        return Outcome.HAS_LOGIN
    if not rep.mobile:
        return Outcome.NO_MOBILE
    try:
        validate_mobile(rep.mobile)
    except ValidationError:
        return Outcome.BAD_MOBILE
    if rep.mobile in shared:
        return Outcome.SHARED_MOBILE
    if rep.pk not in seated:
        return Outcome.NO_SEAT
    return Outcome.CREATED


def _plan(people: QuerySet[Representative]) -> list[tuple[_Person, str]]:
    shared = _shared_mobiles(people)
    seated = _with_seat(people)
    rows = people.order_by("region__path", "name", "pk").values_list(
        "pk", "name", "mobile", "user_id", "region__name"
    )
    plan = []
    for values in rows:
        person = _Person(*values)
        plan.append((person, _outcome(person, shared, seated)))
    return plan


def _row(rep: _Person | Representative, outcome: str, username: str = "") -> AccountRow:
    region = rep.region_name if isinstance(rep, _Person) else rep.region.name
    return AccountRow(
        representative_id=rep.pk,
        name=rep.name,
        region=region,
        masked_mobile=mask_phone(rep.mobile),
        outcome=outcome,
        username=username,
    )


def accounts_preview(*, representatives: QuerySet[Representative], by: User) -> list[AccountRow]:
    """What ``accounts_create`` would do to each of them; writes nothing. A fixed number
    of queries whatever the number of people."""
    people = selectable(by).filter(pk__in=representatives.values("pk"))
    return [_row(rep, outcome) for rep, outcome in _plan(people)]


def accounts_create(
    *, representatives: QuerySet[Representative], by: User, batch: int = BATCH
) -> list[AccountRow]:
    """Give a login to each of them who can have one; returns the per-row report.

    Staff only, within their jurisdiction (others: 404). Safe to run again: whoever
    got a login in an earlier (or a concurrent) run is reported as "已有登录账号".
    """
    people = selectable(by).filter(pk__in=representatives.values("pk"))
    plan = _plan(people)
    report = {rep.pk: _row(rep, outcome) for rep, outcome in plan}
    ready = [rep.pk for rep, outcome in plan if outcome == Outcome.CREATED]
    for start in range(0, len(ready), batch):
        for row in _create_batch(ready[start : start + batch], by):
            report[row.representative_id] = row
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


def _create_batch(ids: Iterable[int], by: User) -> list[AccountRow]:
    """One transaction: lock the people still without a login, make theirs, link them."""
    now = timezone.now()
    with transaction.atomic():
        people = list(
            Representative.objects.select_for_update(of=("self",))
            .filter(Q(pk__in=list(ids)), user__isnull=True)
            .select_related("region")
            .order_by("pk")
        )
        if not people:
            return []
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
    return [_row(rep, Outcome.CREATED, names[rep.pk]) for rep in people]


def outcome_counts(rows: Iterable[AccountRow]) -> list[tuple[str, int]]:
    """(label, how many) for each outcome that occurs, in the table's order."""
    tally: dict[str, int] = {}
    for row in rows:
        tally[row.outcome] = tally.get(row.outcome, 0) + 1
    return [(str(label), tally[value]) for value, label in Outcome.choices if value in tally]
