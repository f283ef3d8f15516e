"""What each persona's lists, exports and reports of suggestions hold (not only whether
they open): the other district's suggestion is never in them.

The objects are the access matrix's (tests/security/access_rules_suggestions_formal.py):
刘红's 海州区 suggestion handled by 海州区交通运输局 (赵磊, the clerk) and 吴明's 临江区
one handled by 临江区住建局 (孙丽, the other clerk).
"""

from __future__ import annotations

import io

import openpyxl
from django.test import Client

from suggestions.formal import services
from suggestions.models.formal import Suggestion, SuggestionStatus

# The table first: it loads each app's rules module (this one's included) in turn.
from tests.security.access_rules import RULES  # noqa: F401
from tests.security.access_rules_suggestions_formal import (
    TITLES,
    draft_in,
    everything,
    handling_in,
    handling_out,
    lead_of,
    published_out,
    rep_in,
    replied_in,
    session,
    token_of,
)
from tests.security.conftest import Cast


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _mark_key(suggestion: Suggestion, cast: Cast) -> None:
    staff = cast.district_staff if suggestion.congress.region == cast.world.district else None
    services.suggestion_mark_key(
        suggestion=suggestion,
        is_key=True,
        leading_official="副区长",
        supervisor="副主任",
        by=staff or cast.other_district_staff,
    )


def test_district_staff_list_holds_their_district_only(cast: Cast) -> None:
    everything(cast)
    page = _page(cast.client("district_staff"), "/suggestions/")
    assert TITLES["in"] in page
    assert TITLES["out"] not in page


def test_the_api_list_holds_the_same_scope(cast: Cast) -> None:
    everything(cast)
    body = cast.client("district_staff").get("/api/v1/suggestions/").json()
    ids = {row["id"] for row in body["results"]}
    assert handling_in(cast).pk in ids
    assert handling_out(cast).pk not in ids and published_out(cast).pk not in ids
    assert draft_in(cast).pk not in ids  # a draft is the representative's own

    other = cast.client("other_district_staff").get("/api/v1/suggestions/").json()
    other_ids = {row["id"] for row in other["results"]}
    assert handling_out(cast).pk in other_ids and handling_in(cast).pk not in other_ids


def test_a_draft_is_in_its_lead_list_only(cast: Cast) -> None:
    everything(cast)
    mine = cast.client("representative").get("/api/v1/suggestions/").json()
    assert draft_in(cast).pk in {row["id"] for row in mine["results"]}
    for persona in ("district_staff", "city_staff", "clerk", "committee_member"):
        rows = cast.client(persona).get("/api/v1/suggestions/").json()["results"]
        assert draft_in(cast).pk not in {row["id"] for row in rows}, persona


def test_the_key_list_holds_the_district_key_items_only(cast: Cast) -> None:
    _mark_key(handling_in(cast), cast)
    _mark_key(handling_out(cast), cast)
    page = _page(cast.client("district_staff"), "/suggestions/key/")
    assert TITLES["in"] in page and TITLES["out"] not in page
    other = _page(cast.client("other_district_staff"), "/suggestions/key/")
    assert TITLES["out"] in other and TITLES["in"] not in other


def test_the_report_and_its_excel_export_hold_the_district_only(cast: Cast) -> None:
    everything(cast)
    _mark_key(handling_in(cast), cast)
    _mark_key(handling_out(cast), cast)
    client = cast.client("district_staff")
    inside, outside = session(cast, "in"), session(cast, "out")

    report = _page(client, f"/suggestions/report/?session={inside.pk}")
    assert "海州区交通运输局" in report and "临江区住房和城乡建设局" not in report
    assert TITLES["in"] in report and TITLES["out"] not in report
    # Asking for the other district's session by its id finds nothing.
    assert client.get(f"/suggestions/report/?session={outside.pk}").status_code == 404

    printed = _page(client, f"/suggestions/report/{inside.pk}/print/")
    assert "临江区住房和城乡建设局" not in printed and TITLES["out"] not in printed

    xlsx = client.get(f"/suggestions/report/{inside.pk}/xlsx/")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert "海州区交通运输局" in cells
    assert "临江区住房和城乡建设局" not in cells and TITLES["out"] not in cells
    assert client.get(f"/suggestions/report/{outside.pk}/xlsx/").status_code == 404

    api = client.get(f"/api/v1/suggestion-reports/{inside.pk}/").json()
    assert handling_out(cast).pk not in api["key"] and handling_in(cast).pk in api["key"]


def test_the_other_clerks_workspace_does_not_show_the_clerks_assignment(cast: Cast) -> None:
    everything(cast)
    mine = _page(cast.client("clerk"), "/suggestions/workspace/?state=all")
    theirs = _page(cast.client("other_clerk"), "/suggestions/workspace/?state=all")
    assert TITLES["in"] in mine and TITLES["out"] not in mine
    assert TITLES["in"] not in theirs and TITLES["out"] in theirs

    clerk_assignment = lead_of(handling_in(cast))
    rows = cast.client("other_clerk").get("/api/v1/suggestion-assignments/?mine=1").json()
    ids = {row["id"] for row in rows["results"]}
    assert clerk_assignment.pk not in ids and lead_of(handling_out(cast)).pk in ids
    everyone_of_theirs = cast.client("other_clerk").get("/api/v1/suggestion-assignments/").json()
    assert clerk_assignment.pk not in {row["id"] for row in everyone_of_theirs["results"]}


def test_the_reply_letter_through_the_core_file_route_has_the_same_scope(cast: Cast) -> None:
    """/files/<token>/ (congress.files) asks the suggestion's case type who may see it."""
    token = token_of(replied_in(cast))
    for persona, status in [
        ("representative", 200),
        ("clerk", 200),
        ("district_staff", 200),
        ("other_representative", 404),
        ("other_clerk", 404),
        ("other_district_staff", 404),
    ]:
        assert cast.client(persona).get(f"/files/{token}/").status_code == status, persona


def test_staff_who_type_in_a_paper_suggestion_can_open_their_draft(cast: Cast) -> None:
    """代录: staff enter a representative's paper suggestion. The services let the staff
    member who entered it invite (signed on paper) and submit; the page they are sent
    to after saving must open for them (it was a 404: drafts were the lead's only)."""
    session(cast, "in")
    client = cast.client("district_staff")
    saved = client.post(
        "/suggestions/new/",
        {
            "lead": rep_in(cast).pk,
            "kind": "suggestion",
            "session": session(cast, "in").pk,
            "title": "关于增设老年助餐点的建议（纸质）",
            "category": "social",
            "content": "老年人就餐难。",
        },
    )
    assert saved.status_code == 302
    suggestion = Suggestion.objects.get(title="关于增设老年助餐点的建议（纸质）")
    assert suggestion.status == SuggestionStatus.DRAFT
    assert client.get(saved["Location"]).status_code == 200
    submitted = client.post(f"/suggestions/{suggestion.pk}/act/submit/", {})
    assert submitted.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUBMITTED

    # Still a draft is nobody else's: the other staff of the office do not see one.
    other = services.suggestion_create(
        lead=rep_in(cast),
        session=session(cast, "in"),
        title="另一件纸质建议",
        content="……",
        category="other",
        by=cast.district_staff,
    )
    assert cast.client("city_staff").get(f"/suggestions/{other.pk}/").status_code == 404
    assert cast.client("other_district_staff").get(f"/suggestions/{other.pk}/").status_code == 404
