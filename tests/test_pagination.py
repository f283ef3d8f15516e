"""Paged lists keep their filters on every page (templates/congress/_pagination.html).

District staff 陈静 pages through 督办提醒 under 全部: page 2 is still 全部 (it read
已超期, the default, when the link dropped the filter). The clerk 赵磊 pages through his
unread messages (只看未读): page 2 is still unread only. And 陈静 pages through the
representatives named 王 in the registry."""

from __future__ import annotations

import datetime
import re

from django.test import Client
from django.utils import timezone

from congress import loop
from congress.models import User
from congress.notifications import notification_mark_read, notify
from tests.conftest import World, login
from tests.loop_support import TEST_CASE
from tests.representatives.factories import RepresentativeFactory


def _next_link(html: str) -> str:
    found = re.search(r'<a class="page-link" href="([^"]+)" rel="next">', html)
    assert found, "no link to the next page"
    return found.group(1).replace("&amp;", "&")


def test_page_two_of_all_assignments_is_still_all(
    client: Client, world: World, district_staff: User
) -> None:
    today = timezone.localdate()
    for n in range(1, 56):  # 55 in hand, none overdue
        loop.assignment_create(
            case_type=TEST_CASE,
            case_id=n,
            title=f"在办事项{n:02d}",
            region=world.village,
            by=district_staff,
            department=world.department,
            due_on=today + datetime.timedelta(days=10 + n),
        )
    login(client, district_staff)
    assert "在办事项" not in client.get("/loop/").content.decode()  # 已超期: none

    first = client.get("/loop/", {"state": "all"}).content.decode()
    link = _next_link(first)
    assert "state=all" in link and "after=" in link  # a keyset cursor (congress/keyset.py)
    second = client.get(f"/loop/{link}").content.decode()
    assert second.count("在办事项") == 5
    assert all(f"在办事项{n}" in second for n in range(51, 56))
    assert re.search(r'class="nav-link active" href="\?state=all"', second)


def test_page_two_of_unread_messages_is_still_unread(
    client: Client, world: World, clerk: User
) -> None:
    for n in range(40):
        notify(recipients=[clerk], kind="test.note", title=f"已读通知{n:02d}")
    notification_mark_read(user=clerk)  # 40 read
    for n in range(1, 36):
        notify(recipients=[clerk], kind="test.note", title=f"未读通知{n:02d}")
    login(client, clerk)
    first = client.get("/inbox/", {"unread": "1"}).content.decode()
    link = _next_link(first)
    assert "unread=1" in link
    second = client.get(f"/inbox/{link}").content.decode()
    assert second.count("未读通知") == 5  # 35 unread, 30 a page
    assert "已读通知" not in second


def test_page_two_of_a_registry_search_is_still_the_search(
    client: Client, world: World, district_staff: User
) -> None:
    for n in range(55):
        RepresentativeFactory(name=f"王{n:02d}", region=world.village)
    for n in range(10):
        RepresentativeFactory(name=f"李{n:02d}", region=world.village)
    login(client, district_staff)
    first = client.get("/representatives/", {"q": "王"}).content.decode()
    link = _next_link(first)
    second = client.get(f"/representatives/{link}").content.decode()
    assert all(f"王{n}" in second for n in range(50, 55))
    assert "李0" not in second
