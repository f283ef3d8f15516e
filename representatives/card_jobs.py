"""连心卡 PDF of a whole list, made in the background.

A district's sheet (a few hundred cards, ten to an A4 page) takes WeasyPrint some
ten seconds or more: too long for a link a person clicks. So the staff member asks
for it, a Celery task renders it into private storage, and a page says 生成中 until
the file is there, then offers it.

A job belongs to the staff member who asked for it: its token is random, and its
status page and download answer 404 to anyone else. The task selects the cards as
that person (``selectors.visible_representatives`` of the owner, with the list's
filters), so a job never holds a card outside the owner's jurisdiction. Files live
under ``card-pdfs/`` of the default storage, which has no public URL (settings,
``MEDIA_URL``); nothing about the job (a name, a filter) goes into a URL or a log
but its token.
"""

from __future__ import annotations

import datetime
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation

from congress.errors import OutOfJurisdiction
from congress.models import User
from congress.queue import enqueue_on_commit
from congress.scoping import is_staff_or_admin
from representatives import printing

logger = logging.getLogger(__name__)

FOLDER = "card-pdfs"
# A sheet is printed the day it is made; its file (representatives' phone numbers among
# it) is not kept longer than that.
KEEP = datetime.timedelta(days=1)
GIVE_UP = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
PENDING, READY, FAILED = "pending", "ready", "failed"


@dataclass(frozen=True)
class CardJob:
    token: str
    owner_id: int
    query: str
    language: str
    created_at: str

    @property
    def pdf_name(self) -> str:
        return f"{FOLDER}/{self.token}.pdf"

    @property
    def state(self) -> str:
        if default_storage.exists(self.pdf_name):
            return READY
        if default_storage.exists(f"{FOLDER}/{self.token}.failed"):
            return FAILED
        # Past the task's hard time limit the job is lost (no worker, the broker down):
        # the page says so rather than 生成中 for ever.
        asked = datetime.datetime.fromisoformat(self.created_at)
        if timezone.now() - asked > GIVE_UP:
            return FAILED
        return PENDING


def _job_name(token: str) -> str:
    return f"{FOLDER}/{token}.json"


def card_pdf_request(*, by: User, query: str, language: str) -> CardJob:
    """Ask for the PDF of the 连心卡 list that ``query`` (the list's filters) selects.

    Staff only (the sheet is theirs to print); the cards are chosen by the task,
    within ``by``'s jurisdiction."""
    if not is_staff_or_admin(by):
        raise OutOfJurisdiction
    job = CardJob(
        token=secrets.token_urlsafe(18),
        owner_id=by.pk,
        query=query,
        language=language,
        created_at=timezone.now().isoformat(),
    )
    forget_old_jobs()
    payload = json.dumps(job.__dict__).encode()
    default_storage.save(_job_name(job.token), ContentFile(payload))
    from representatives import tasks

    enqueue_on_commit(tasks.build_card_pdf, job.token)
    return job


def forget_old_jobs() -> int:
    """Delete the jobs' files older than ``KEEP``; how many were deleted."""
    try:
        _dirs, names = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    cutoff, deleted = timezone.now() - KEEP, 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return deleted


def card_job(token: str, user: Any) -> CardJob | None:
    """The job ``token`` if ``user`` asked for it, else None (the views answer 404)."""
    if not token.replace("-", "").replace("_", "").isalnum() or not user.is_authenticated:
        return None
    try:
        with default_storage.open(_job_name(token), "rb") as handle:
            job = CardJob(**json.loads(handle.read()))
    except (FileNotFoundError, OSError, ValueError, TypeError):
        return None
    return job if job.owner_id == user.pk else None


def card_pdf_build(token: str) -> str:
    """Render the job's PDF into storage; safe to run twice (a made file is kept)."""
    try:
        with default_storage.open(_job_name(token), "rb") as handle:
            job = CardJob(**json.loads(handle.read()))
    except (FileNotFoundError, OSError, ValueError, TypeError):
        return FAILED
    if default_storage.exists(job.pdf_name):
        return READY
    try:
        owner = User.objects.get(pk=job.owner_id, is_active=True)
        with translation.override(job.language):
            pdf = printing.html_to_pdf(_cards_html(owner, job.query))
    except Exception:
        logger.exception("连心卡 PDF job %s failed", token)
        default_storage.save(f"{FOLDER}/{token}.failed", ContentFile(b""))
        return FAILED
    default_storage.save(job.pdf_name, ContentFile(pdf))
    return READY


def _cards_html(owner: User, query: str) -> str:
    from representatives.public_views import cards_context
    from representatives.views import cards_selection

    representatives = cards_selection(owner, QueryDict(query))
    context = cards_context(representatives)
    context.update(as_pdf=True, pdf_available=True)
    return render_to_string("representatives/print/cards.html", context)
