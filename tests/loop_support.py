"""A case type for the engine's own tests (feature apps register real ones)."""

from __future__ import annotations

from congress.loop import CaseType, register_case_type
from congress.workdays import Deadline

TEST_CASE = "tests.case"

register_case_type(
    CaseType(
        key=TEST_CASE,
        label="测试事项",
        url=lambda case_id: f"/cases/{case_id}/",
        can_view=lambda user, case_id: True,
        default_deadline=Deadline(15, "workdays"),
        longest=Deadline(6, "months"),
    )
)
