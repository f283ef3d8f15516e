"""A topic's printable dossier (supervision/dossier.py, /supervision/topics/<id>/dossier/):
the special inquiry of 海州区 made through the services, read back on the page, in the
workbook and in the PDF; who may open it; the same queries for 3 findings and 30."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congress.models import User
from congress.reports import pdf_available
from supervision import services
from supervision.dossier import participants_count
from supervision.meetings import services as meetings
from supervision.models.meetings import ItemKind
from supervision.models.topics import Finding, FindingStatus
from tests.conftest import World, login
from tests.supervision.dossier_support import (
    ANSWER,
    FOLLOW_UP,
    HANDLING,
    OPINION,
    QUESTION,
    Story,
    committee_members,
    hold_the_inquiry,
    inquiry_topic,
    overdue,
    visit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot_keys(settings: Any, tmp_path: Any) -> None:
    settings.BALLOT_KEY_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def story(world: World, district_staff: User, ballot_keys: None) -> Story:
    """The whole inquiry: 21 findings in 9 categories (18 closed off, 3 long-term, one of
    them overdue), a visit with two photos, the meeting with its report, inquiry, vote and
    review opinion, and a 回头看 held that reopened one finding."""
    members = committee_members(world)
    found = inquiry_topic(world, district_staff)
    visit(found.topic, district_staff, photos=2)
    hold_the_inquiry(world, district_staff, found, members)
    long_term = Finding.objects.filter(topic=found.topic, is_long_term=True).order_by("number")
    overdue(long_term[0])
    review = services.review_schedule(topic=found.topic, by=district_staff)
    services.review_hold(
        review=review,
        summary="夜间巡逻问题有反弹，重新整改。",
        reopen=[Finding.objects.get(topic=found.topic, number=1)],
        by=district_staff,
    )
    found.topic.refresh_from_db()
    return found


def url(story: Story, **query: str) -> str:
    path = reverse("supervision_topic_dossier", args=[story.topic.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_dossier_holds_the_whole_inquiry(
    client: Client, story: Story, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.get(url(story))
    assert response.status_code == 200
    page = response.content.decode()
    # The topic and its group.
    assert story.topic.title in page and "专题询问" in page and "监察和司法委员会" in page
    assert "刘建华" in page and "区人大常委会副主任" in page and "海州区公安分局" in page
    # The visit: its head count (three names), two thumbnails, no participant's name list.
    assert page.count('data-testid="dossier-visit"') == 1
    assert re.search(r'data-testid="dossier-head-count">3<', page)
    assert page.count('data-testid="dossier-photo"') == 2
    assert "刘建华、孟庆和、钱建国" not in page
    # 21 findings in 9 categories: 17 closed off (18, one reopened by the 回头看), the
    # three long-term ones with their targets and milestones, one of them overdue.
    assert page.count('data-testid="dossier-category"') == 9
    assert page.count('data-testid="dossier-finding"') == 21
    assert page.count('data-testid="dossier-long-term"') == 3
    assert page.count("<li>第二年完成70%</li>") == 3
    assert "三年内老旧小区视频监控全覆盖" in page
    assert page.count("<td>已销号") == 17
    assert page.count("已超期") == 1
    assert "已销号 17 / 共 21 项" in page
    # The inquiry's questions and answers, the follow-up marked.
    assert QUESTION in page and ANSWER in page and FOLLOW_UP in page
    assert page.count('data-testid="dossier-question"') == 3
    assert "（追问第1问）" in page and "询问人：王海峰" in page
    # The report, the vote (counts and outcome only), the opinion and its handling report.
    assert "区人民政府关于社会治安综合治理工作情况的报告" in page
    vote = re.search(r'data-testid="dossier-vote">(.*?)</tr>', page, re.S)
    assert vote is not None
    cells = re.findall(r'<td class="num">(\d+)</td>', vote.group(1))
    assert cells == ["25", "1", "0", "27"]
    assert ">满意</strong>" in vote.group(1)
    assert OPINION in page and HANDLING in page
    assert "列入" in page and "第22次会议" in page
    # The 回头看.
    assert "夜间巡逻问题有反弹，重新整改。" in page
    # Nobody's vote, no member's account, no navigation: a page to print.
    assert "hzwy" not in page
    assert "<nav" not in page and "@page" in page
    assert 'href="?format=xlsx"' in page and 'href="?format=pdf"' in page


def test_the_workbook_has_a_sheet_per_section_numbers_as_numbers(
    client: Client, story: Story, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.get(url(story, format="xlsx"))
    assert response.status_code == 200
    today = timezone.localdate()
    assert (
        f'filename="dossier-{story.topic.pk}-{today:%Y-%m-%d}.xlsx"'
        in response["Content-Disposition"]
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "议题",
        "调研视察",
        "问题清单",
        "专题询问",
        "会议报告",
        "审议意见",
        "满意度测评",
        "回头看",
    ]
    overview = {row[0]: row[1] for row in book["议题"].iter_rows(values_only=True) if row[0]}
    assert overview["问题数"] == 21 and overview["已销号"] == 17 and overview["超期"] == 1

    findings = list(book["问题清单"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in findings] == list(range(1, 22))
    assert sum(1 for row in findings if row[4] == "已销号") == 17
    assert all(isinstance(row[9], datetime.datetime) for row in findings)  # 整改期限, a date
    assert sum(1 for row in findings if isinstance(row[10], datetime.datetime)) == 17
    long_term = [row for row in findings if row[6] == "是"]
    assert len(long_term) == 3 and all("第二年完成70%" in row[8] for row in long_term)

    visits = list(book["调研视察"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[3], row[5]) for row in visits] == [("新浦街道派出所", 3, 2)]
    questions = list(book["专题询问"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in questions] == [1, 2, 3]
    assert questions[0][5] == QUESTION and questions[2][8] == 1  # the follow-up of question 1
    votes = list(book["满意度测评"].iter_rows(min_row=2, values_only=True))
    assert [row[2:] for row in votes] == [("满意", 25, 1, 0, 27)]
    opinions = list(book["审议意见"].iter_rows(min_row=2, values_only=True))
    assert opinions[0][2] == OPINION and opinions[0][5] == HANDLING
    reviews = list(book["回头看"].iter_rows(min_row=2, values_only=True))
    assert reviews[0][3] == 1


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint's system libraries are missing")
def test_the_pdf_is_a_pdf_named_by_the_topic_and_the_day(
    client: Client, story: Story, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.get(url(story, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    today = timezone.localdate()
    assert (
        f'filename="dossier-{story.topic.pk}-{today:%Y-%m-%d}.pdf"'
        in response["Content-Disposition"]
    )


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint's system libraries are missing")
def test_the_pdf_prints_the_visits_photos(
    client: Client, story: Story, district_staff: User
) -> None:
    """The visit's two photos are in the file itself (images in the PDF), not a line
    sending the reader to the web page."""
    login(client, district_staff)
    response = client.get(url(story, format="pdf"))
    assert response.status_code == 200
    assert response.content.count(b"/Subtype /Image") == 2


def test_the_pdf_page_embeds_the_photos_by_token_and_has_no_toolbar(
    story: Story, district_staff: User
) -> None:
    from django.template.loader import render_to_string

    from supervision.dossier import topic_dossier

    dossier = topic_dossier(district_staff, story.topic)
    html = render_to_string(
        "supervision/dossier.html", {"dossier": dossier, "as_pdf": True, "pdf_photos": 1}
    )
    tokens = [photo.token for row in dossier.visits for photo in row.photos]
    assert len(tokens) == 2
    # One printed (the page's limit here), the other named.
    assert html.count('src="embedded:') == 1 and f'src="embedded:{tokens[0]}"' in html
    assert "共 2 张照片，其余见网页版" in html
    assert "?format=pdf" not in html  # no toolbar on paper


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint's system libraries are missing")
def test_a_pdf_fetches_no_address_it_was_not_given() -> None:
    """A file on the disk or an address on the network in the page is left out: the
    PDF embeds only the images its caller read from the scoped rows."""
    from congress.reports import report_pdf

    page = '<p>x</p><img src="file:///etc/hostname"><img src="http://127.0.0.1:9/a.png">'
    assert b"/Subtype /Image" not in report_pdf(page)


def test_only_staff_who_see_the_topic_open_it(
    client: Client,
    story: Story,
    district_staff: User,
    city_staff: User,
    other_district_staff: User,
    clerk: User,
    committee_member: User,
) -> None:
    for user in (district_staff, city_staff):
        login(client, user)
        assert client.get(url(story)).status_code == 200
    # Another district's staff; 赵磊, whose bureau has findings on it; 刘洋, who claimed
    # them all; a member of the standing committee: the dossier spans every department's
    # findings, so it is the staff's only (404 in every format).
    for user in (other_district_staff, clerk, story.office_clerk, committee_member):
        login(client, user)
        for query in ({}, {"format": "xlsx"}, {"format": "pdf"}):
            assert client.get(url(story, **query)).status_code == 404, user
    client.logout()
    assert client.get(url(story)).status_code == 302


def test_the_topic_page_links_the_dossier(
    client: Client, world: World, district_staff: User
) -> None:
    found = inquiry_topic(world, district_staff, categories=[("类别", [("问题", "公安分局", "")])])
    login(client, district_staff)
    page = client.get(found.topic.get_absolute_url()).content.decode()
    assert reverse("supervision_topic_dossier", args=[found.topic.pk]) in page
    assert "打印卷宗" in page


def test_the_page_speaks_english(client: Client, story: Story, district_staff: User) -> None:
    login(client, district_staff)
    response = client.get(url(story), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_the_head_count_of_a_visit() -> None:
    assert participants_count("张主任、刘红代表") == 2
    assert participants_count("刘建华，孟庆和; 钱建国") == 3
    assert participants_count("市人大常委会委员等12人") == 12
    assert participants_count("") == 0


def test_the_same_queries_for_3_findings_and_30(
    client: Client, world: World, district_staff: User, ballot_keys: None
) -> None:
    few = [("治安", [(f"问题{n}", "公安分局", "目标" if n == 0 else "") for n in range(3)])]
    story = inquiry_topic(world, district_staff, categories=few, close_off=True)
    visit(story.topic, district_staff, photos=1)
    hold_the_inquiry(world, district_staff, story, committee_members(world), questions=2)
    services.review_schedule(topic=story.topic, by=district_staff)
    login(client, district_staff)
    client.get(url(story))  # the session and the calendar read once

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url(story)).status_code == 200
        return len(seen)

    before = queries()
    # 27 more findings in two more categories (long-term and closed off among them),
    # 27 more questions, two more visits with photos, one more 回头看.
    bureaus = story.bureaus
    for c in range(2):
        category = services.category_create(topic=story.topic, title=f"类别{c}", by=district_staff)
        for n in range(13 + c):
            finding = services.finding_create(
                topic=story.topic,
                category=category,
                title=f"新问题{c}-{n}",
                department=bureaus["民政局" if n % 2 else "教育局"],
                is_long_term=n % 5 == 0,
                target="目标" if n % 5 == 0 else "",
                milestones="一\n二" if n % 5 == 0 else "",
                by=district_staff,
            )
            if n % 3 == 0 and n % 5:
                services.finding_claim_closure(finding=finding, note="完成", by=story.office_clerk)
                services.finding_close_off(finding=finding, evidence="核实", by=district_staff)
    inquiry = story.topic.agenda_items.get(kind=ItemKind.INQUIRY)
    for n in range(27):
        meetings.question_record(
            item=inquiry, asker=f"委员{n}", respondent="局长", text=f"问{n}", by=district_staff
        )
    for n in range(2):
        visit(story.topic, district_staff, photos=3, place=f"地点{n}")
    services.review_schedule(
        topic=story.topic, scheduled_on=timezone.localdate(), by=district_staff
    )
    assert Finding.objects.filter(topic=story.topic).count() == 30
    assert Finding.objects.filter(status=FindingStatus.CLOSED_OFF).count() > 3
    assert queries() == before
