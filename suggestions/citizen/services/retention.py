"""What the retention sweep (congress.retention) finds expired and how it anonymises it."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from suggestions.models.citizen import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CitizenIssue,
    IssueStatus,
)


def expired_issues(cutoff: datetime.datetime) -> QuerySet[CitizenIssue]:
    return CitizenIssue.objects.filter(
        status__in=[
            IssueStatus.CLOSED,
            IssueStatus.DECLINED,
            IssueStatus.MERGED,
            IssueStatus.CONVERTED,
            IssueStatus.REJECTED,
        ],
        closed_at__lt=cutoff,
        anonymised_at__isnull=True,
    )


def issues_anonymise(rows: QuerySet[CitizenIssue]) -> int:
    """Who the citizen was goes; the problem, its timeline and its rating stay."""
    return rows.update(
        citizen_name="",
        mobile="",
        mobile_hash="",
        wants_sms=False,
        confirmation_code_hash="",
        anonymised_at=timezone.now(),
    )


def expired_appointments(cutoff: datetime.datetime) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        status__in=[
            AppointmentStatus.HELD,
            AppointmentStatus.DECLINED,
            AppointmentStatus.CANCELLED,
        ],
        created_at__lt=cutoff,
        anonymised_at__isnull=True,
        kind=AppointmentKind.CITIZEN,
    )


def appointments_anonymise(rows: QuerySet[Appointment]) -> int:
    return rows.update(citizen_name="", mobile="", mobile_hash="", anonymised_at=timezone.now())
