"""The navigation bar: related entries in menus; a menu of one is just its link."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from congress.models import User
from congress.registry import NavEntry, navigation_for


def _shape(entries: list[NavEntry]) -> list[str | tuple[str, list[str]]]:
    return [
        (entry.group.key, [item.url_name for item in entry.items])
        if entry.group
        else entry.items[0].url_name
        for entry in entries
    ]


def test_staff_get_menus_of_related_entries(district_staff: User) -> None:
    shape = _shape(navigation_for(district_staff))
    assert (
        "basics",
        ["region_list", "department_list", "congress_rules_list", "audit_list"],
    ) in shape
    assert ("citizens", ["citizen_issue_list", "appointment_list"]) in shape
    assert shape[0] == "assignment_list"  # the loop's reminders come first


def test_a_menu_of_one_is_shown_as_its_link(clerk: User) -> None:
    shape = _shape(navigation_for(clerk))
    # A clerk sees departments but neither regions nor the audit trail.
    assert "department_list" in shape
    assert not any(isinstance(entry, tuple) and entry[0] == "basics" for entry in shape)


def test_only_administrators_find_the_admin(administrator: User, city_staff: User) -> None:
    assert "admin:index" in str(_shape(navigation_for(administrator)))
    assert "admin:index" not in str(_shape(navigation_for(city_staff)))


def test_each_user_gets_the_bar_of_their_own_entries_and_language(
    client: Client, clerk: User, district_staff: User
) -> None:
    """The bar's HTML is rendered once per set of entries and language
    (congress/context_processors.py): a clerk's page never shows the staff's menus,
    and an English page never the Chinese bar, whoever asked first."""
    client.force_login(district_staff)
    staff_page = client.get("/").content.decode()
    assert 'data-testid="nav-group-basics"' in staff_page and "基础数据" in staff_page
    client.force_login(clerk)
    clerk_page = client.get("/").content.decode()
    assert 'data-testid="nav-group-basics"' not in clerk_page
    assert f'href="{reverse("department_list")}"' in clerk_page
    client.force_login(district_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert "Reference data" in english and "基础数据" not in english
