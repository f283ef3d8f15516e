"""The demo city's citizens' problems: every state, photos, the transport bureau's
overdue desk with reminders and escalations, appointments."""

from __future__ import annotations

import pytest
from django.utils import timezone

from congress.demo import build_core
from congress.models import Notification
from congress.registry import demo_builders
from suggestions.citizen import demo
from suggestions.models.citizen import Appointment, CitizenIssue, IssuePhoto, IssueStatus


@pytest.mark.django_db
def test_the_demo_has_problems_in_every_state(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    ctx = build_core(seed=7, today=timezone.localdate(), scale=0.25)
    representatives = next(b for b in demo_builders if b.name == "representatives")
    representatives.build(ctx)
    demo.build(ctx, size=150)
    statuses = set(CitizenIssue.objects.values_list("status", flat=True))
    expected = {
        IssueStatus.SUBMITTED,
        IssueStatus.WITH_REPRESENTATIVE,
        IssueStatus.FORWARDED,
        IssueStatus.DEPARTMENT_REPLIED,
        IssueStatus.ANSWERED,
        IssueStatus.CLOSED,
        IssueStatus.DECLINED,
        IssueStatus.MERGED,
        IssueStatus.PENDING_REVIEW,
    }
    assert expected <= statuses
    assert CitizenIssue.objects.count() > 400
    assert IssuePhoto.objects.exists()
    assert Notification.objects.filter(
        recipient__username="clerk_transport", kind="assignment.reminder"
    ).exists()
    assert Notification.objects.filter(
        recipient__username="supervisor_city_office", kind="assignment.escalation"
    ).exists()
    assert Appointment.objects.filter(status="confirmed").exists()
    assert CitizenIssue.objects.filter(handler__user__username="rep_liu").exists()
