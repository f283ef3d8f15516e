"""The district's 连心卡 PDF is made in the background: 陈静 asks for it on the sheet,
gets a page that says 生成中, and the same page offers the file once the task has
written it into private storage. Nobody else may see her job or its file, and the
cards in it are the ones she may see (刘红 of 海州区, not 孙悦 of 临江区)."""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congress.models import User
from representatives import card_jobs
from representatives.models import Representative
from representatives.printing import pdf_available
from tests.conftest import World, login
from tests.representatives.factories import RepresentativeFactory, seat

SHEET = "/representatives/cards/"


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def ask(client: Client, query: str = "") -> str:
    """Press 生成 PDF on the sheet; the job page's address."""
    sheet = client.get(f"{SHEET}?{query}").content.decode()
    assert 'data-testid="pdf-job"' in sheet and "format=pdf" not in sheet
    response = client.post(f"{SHEET}pdf/", {"query": query})
    assert response.status_code == 302
    location: str = response["Location"]
    assert location.startswith(f"{SHEET}pdf/")
    return location


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint or its system libraries missing")
def test_the_pdf_is_made_in_the_background_then_offered(
    client: Client,
    world: World,
    representative: Representative,
    far_representative: Representative,
    district_staff: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    login(client, district_staff)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job_page = ask(client)
    assert len(queued) == 1  # the task is sent once the request's transaction commits

    waiting = client.get(job_page)
    html = waiting.content.decode()
    assert waiting.status_code == 200 and 'data-state="pending"' in html
    assert "生成中" in html and '<meta http-equiv="refresh" content="5">' in html
    assert client.get(f"{job_page}download/").status_code == 404  # not there yet

    queued[0]()  # the worker runs the task (eagerly in tests)

    ready = client.get(job_page).content.decode()
    assert 'data-state="ready"' in ready and 'http-equiv="refresh"' not in ready
    download = client.get(f"{job_page}download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"  # type: ignore[attr-defined]


def test_the_cards_are_those_the_owner_may_see(
    world: World,
    representative: Representative,
    far_representative: Representative,
    district_staff: User,
    city_staff: User,
) -> None:
    html = card_jobs._cards_html(district_staff, "")
    assert "刘红" in html and "孙悦" not in html
    assert "<script" not in html and "生成 PDF" not in html  # the file, not the page
    # The list's filters travel with the job: the city's staff asked for 海州区 only.
    city = card_jobs._cards_html(city_staff, f"region={world.district.pk}")
    assert "刘红" in city and "孙悦" not in city
    assert "孙悦" in card_jobs._cards_html(city_staff, "")


def test_a_job_is_its_owners_alone(
    client: Client,
    representative: Representative,
    district_staff: User,
    city_staff: User,
    other_district_staff: User,
    representative_user: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    login(client, district_staff)
    with django_capture_on_commit_callbacks(execute=False):
        job_page = ask(client)
    for someone in (city_staff, other_district_staff, representative_user):
        login(client, someone)
        assert client.get(job_page).status_code == 404, someone
        assert client.get(f"{job_page}download/").status_code == 404, someone
    login(client, district_staff)
    assert client.get(f"{SHEET}pdf/not-a-job/").status_code == 404
    assert client.get(f"{SHEET}pdf/..%2Fsecret/").status_code == 404


def test_a_failed_job_says_so(
    client: Client,
    district_staff: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    def broken(html: str) -> bytes:
        raise OSError("pango missing")

    monkeypatch.setattr(card_jobs.printing, "html_to_pdf", broken)
    login(client, district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        job_page = ask(client)
    html = client.get(job_page).content.decode()
    assert 'data-state="failed"' in html and "生成失败" in html
    assert client.get(f"{job_page}download/").status_code == 404


def test_the_job_page_costs_the_same_whatever_the_district_holds(
    client: Client,
    world: World,
    district_staff: User,
    django_assert_num_queries: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    login(client, district_staff)
    with django_capture_on_commit_callbacks(execute=False):
        job_page = ask(client)
    client.get(job_page)  # the session's first read is behind us
    # Read off the page as it is: the session and the user, the user's role grants and
    # representative record and unread notices (the layout); the session is not saved
    # (its end moves forward every 5 minutes). The job itself is a file: nothing about
    # the district is read.
    with django_assert_num_queries(QUERIES):
        client.get(job_page)
    for _n in range(30):
        rep: Representative = RepresentativeFactory(region=world.village)  # type: ignore[assignment]
        seat(rep, world.district)
    with django_assert_num_queries(QUERIES):
        client.get(job_page)


QUERIES = 5


def test_yesterdays_files_are_deleted_when_the_next_job_is_asked_for(
    client: Client,
    district_staff: User,
    private_media: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    login(client, district_staff)
    with django_capture_on_commit_callbacks(execute=False):
        old_page = ask(client)
    folder = private_media / "card-pdfs"
    old_files = sorted(folder.iterdir())
    assert len(old_files) == 1  # the job's description; no PDF made yet
    day_and_a_bit = time.time() - 25 * 3600
    for path in old_files:
        os.utime(path, (day_and_a_bit, day_and_a_bit))
    with django_capture_on_commit_callbacks(execute=False):
        new_page = ask(client)
    assert not any(path.exists() for path in old_files)
    assert client.get(old_page).status_code == 404
    assert client.get(new_page).status_code == 200


def test_a_job_no_worker_took_is_said_to_have_failed(
    client: Client,
    district_staff: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    login(client, district_staff)
    with django_capture_on_commit_callbacks(execute=False):  # the broker never got it
        job_page = ask(client)
    assert 'data-state="pending"' in client.get(job_page).content.decode()
    later = timezone.now() + datetime.timedelta(minutes=7)  # past the 5-minute task limit
    monkeypatch.setattr(timezone, "now", lambda: later)
    html = client.get(job_page).content.decode()
    assert 'data-state="failed"' in html and 'http-equiv="refresh"' not in html
