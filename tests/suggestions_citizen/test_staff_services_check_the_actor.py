"""The channel's staff-only steps (审核, the public board's flag, restricting a phone
number) refuse, in the service itself, anyone but staff of the problem's region:
staff of another district and the representative the problem is addressed to get
the 404 of an object outside their reach, and nothing changes."""

from __future__ import annotations

import pytest

from congress.errors import OutOfJurisdiction
from congress.models import User
from representatives.models import Station
from suggestions.citizen import services
from suggestions.models.citizen import BannedPhone, CitizenIssue, IssueCategory, IssueStatus
from tests.suggestions_citizen.conftest import submit


def test_staff_steps_refuse_everyone_but_the_regions_staff(
    district_staff: User,
    other_district_staff: User,
    representative_user: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    held = submit(
        station=station,
        category=categories["roads"],
        description="详见 http://x.example 和 www.y.example",
    )
    assert held.status == IssueStatus.PENDING_REVIEW
    for outsider in (other_district_staff, representative_user):
        with pytest.raises(OutOfJurisdiction):
            services.citizen_issue_moderate(issue=held, by=outsider, approve=True)
        with pytest.raises(OutOfJurisdiction):
            services.citizen_issue_set_public(issue=held, hidden=True, by=outsider)
        with pytest.raises(OutOfJurisdiction):
            services.citizen_issue_ban_phone(issue=held, by=outsider, reason="恶意刷单")
    row = CitizenIssue.objects.get(pk=held.pk)
    assert (row.status, row.hidden_from_public) == (IssueStatus.PENDING_REVIEW, False)
    assert not BannedPhone.objects.exists()

    services.citizen_issue_moderate(issue=held, by=district_staff, approve=True)
    services.citizen_issue_set_public(issue=held, hidden=True, by=district_staff)
    services.citizen_issue_ban_phone(issue=held, by=district_staff, reason="恶意刷单")
    row = CitizenIssue.objects.get(pk=held.pk)
    assert row.status != IssueStatus.PENDING_REVIEW and row.hidden_from_public
    assert BannedPhone.objects.count() == 1
