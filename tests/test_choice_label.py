"""The ``label`` template filter shows what ``get_FOO_display`` shows, in either language."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from suggestions.models.citizen import CitizenIssue

ROW = Template(
    '{% load choices %}{{ issue|label:"status" }}|{{ issue|label:"rating"|default:"—" }}'
)


def _row(issue: CitizenIssue) -> str:
    return ROW.render(Context({"issue": issue}))


def test_labels_in_chinese_and_english() -> None:
    issue = CitizenIssue(status="forwarded", rating="basically")
    with translation.override("zh-hans"):
        assert _row(issue) == "部门办理中|基本满意"
        assert _row(issue) == f"{issue.get_status_display()}|{issue.get_rating_display()}"
    with translation.override("en"):
        assert _row(issue) == "Being handled by department|Basically satisfied"


def test_an_empty_or_unknown_value_is_shown_as_it_is() -> None:
    assert _row(CitizenIssue(status="forwarded", rating="")) == "部门办理中|—"
    assert _row(CitizenIssue(status="no-such-status", rating="")) == "no-such-status|—"
