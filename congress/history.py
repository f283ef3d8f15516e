"""Edit history of the registry: who changed what, from which value to which, from where.

Recorded by django-simple-history: every save or delete of a tracked model
writes a row to its historical table with the whole object as it then was, the
user who made the change and, added here, the client's address. The user is the
``by`` of the service that saved it (``recorded_by``, below), so that a change made
from Celery, the shell or the API is no anonymous "系统" row; outside any service
(the admin) it is the signed-in user of the request (the library's middleware). A model is tracked by one line in its own ``models.py``::

    history.track(Representative, masked={"mobile": mask_phone}, regions=("region__path",))

which also says

- which fields are personal data (mobile numbers, ID numbers, addresses): the
  history keeps them masked, never in clear (PIPL art. 51; a history table is a
  copy that would otherwise keep every old number for good). Two numbers can look
  alike once masked, so each row also lists the masked fields whose real value
  changed, noted from the object as it was loaded;
- where an object lies in the jurisdiction tree (lookups from a historical row
  to ``Region.path``), so that an auditor reads the history of their own regions
  only; a model without one is a product-wide rule (point rules, holidays).

Reading: ``object_history`` for an object's page (the "修改记录" section),
``visible_history`` and ``history_entries`` for the audit page. Auditors are the
users with the audit permission (``congress.view_auditevent``) and administrators.
Rows older than the retention period are deleted by the retention job
(``history_delete_expired``, called from congress/retention.py).

This module is imported by models modules, congress's own among them: it must
not import ``congress.models`` at import time.
"""

from __future__ import annotations

import datetime
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

import simple_history
from django.db import models, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.signals import post_init
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from congress.net import client_ip

Masker = Callable[[str], str]
AUDIT_PERMISSION = "congress.view_auditevent"
PURGE_BATCH = 1000
_SEEN = "_history_masked_seen"
P = ParamSpec("P")
R = TypeVar("R")
# The user a service acts for; a ContextVar, so each thread and each task has its own.
_acting_user: ContextVar[Any] = ContextVar("history_acting_user", default=None)


def mask_text(value: str) -> str:
    """An address or any other free text: its first few characters, then stars."""
    keep = min(6, len(value) // 3)
    return value[:keep] + "****"


class HistoryContext(models.Model):
    """What every historical row holds besides the tracked fields."""

    history_ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    history_masked_changes = models.JSONField(_("已变更的个人信息字段"), default=list, blank=True)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    masked: Mapping[str, Masker]
    regions: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def history_model(self) -> Any:
        return self.model.history.model  # type: ignore[attr-defined]

    @property
    def label(self) -> Any:
        return self.model._meta.verbose_name_plural


TRACKED: dict[str, Tracked] = {}


# Each tracked model's HistoricalRecords, to write a row for a change that no save() made.
_RECORDS: dict[str, HistoricalRecords] = {}


class _KeptRecords(HistoricalRecords):
    def finalize(self, sender: Any, **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        _RECORDS[sender._meta.label_lower] = self


def track(
    model: type[models.Model],
    *,
    masked: Mapping[str, Masker] | None = None,
    regions: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> None:
    """Keep the edit history of ``model`` (call once, in its models module)."""
    simple_history.register(
        model,
        records_class=_KeptRecords,
        bases=[HistoryContext],
        excluded_fields=list(exclude),
        get_user=_history_user,
    )
    TRACKED[model._meta.label_lower] = Tracked(model, dict(masked or {}), tuple(regions))
    if masked:
        post_init.connect(_remember_masked_values, sender=model)


def tracked_for(model: type[models.Model]) -> Tracked | None:
    return TRACKED.get(model._meta.concrete_model._meta.label_lower)  # type: ignore[union-attr]


# --- recording -----------------------------------------------------------------------------


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """History rows written inside name ``user`` as the one who made the change
    (None, or an anonymous user, leaves it to the request's user if there is one)."""
    token = _acting_user.set(user if user is not None and user.is_authenticated else None)
    try:
        yield
    finally:
        _acting_user.reset(token)


def recorded_by(service: Callable[P, R]) -> Callable[P, R]:
    """A service whose saves name its ``by=`` user in the edit history::

        @history.recorded_by
        def station_update(*, station: Station, by: User | None, **fields: Any) -> Station:

    The middleware knows the user of a page request only; a Celery task, a shell
    session or an import would otherwise leave the row without an author.
    """

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with acting_as(kwargs.get("by")):
            return service(*args, **kwargs)

    return wrapper


def record_update(instance: models.Model) -> None:
    """Write the historical row of a tracked object changed by a queryset ``update()``
    (a status transition's compare-and-set, congress.workflow), as its save() would
    have: masked, with the acting user and address. ``instance`` holds the new values."""
    tracked = tracked_for(type(instance))
    if tracked is not None:
        _RECORDS[tracked.key].create_historical_record(instance, "~")


def _history_user(request: Any = None, **kwargs: Any) -> Any:
    # simple-history asks this for every row it writes (``get_user``): the service's
    # user first, else the signed-in user of the request (HistoryRequestMiddleware).
    acting = _acting_user.get()
    if acting is not None:
        return acting
    return getattr(request, "user", None) if request is not None else None


def _remember_masked_values(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    # Read from __dict__: a deferred field must not cost a query on every load.
    tracked = tracked_for(type(instance))
    if tracked is not None:
        setattr(instance, _SEEN, {name: instance.__dict__.get(name) for name in tracked.masked})


@receiver(pre_create_historical_record)
def _mask_and_locate(
    sender: Any, instance: models.Model, history_instance: Any, **kwargs: Any
) -> None:
    tracked = tracked_for(type(instance))
    if tracked is None:
        return
    seen = getattr(instance, _SEEN, {})
    changed = []
    for name, mask in tracked.masked.items():
        value = getattr(history_instance, name)
        if history_instance.history_type == "+":
            moved = bool(value)
        else:  # a value we did not see loaded is counted as changed: better said than missed
            moved = history_instance.history_type == "~" and (seen.get(name, object()) != value)
        if moved:
            changed.append(name)
        setattr(history_instance, name, mask(value) if value else value)
    history_instance.history_masked_changes = changed
    setattr(instance, _SEEN, {name: getattr(instance, name) for name in tracked.masked})
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None and getattr(request, "user", None) and request.user.is_authenticated:
        history_instance.history_ip = client_ip(request)


# --- reading -------------------------------------------------------------------------------


def may_read_history(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(AUDIT_PERMISSION))


def visible_history(user: Any, tracked: Tracked) -> QuerySet[Any]:
    """The historical rows of one model an auditor may read: administrators all; others
    those of objects in their staff regions and below, and every product-wide rule."""
    rows = tracked.history_model.objects.select_related("history_user")
    if not may_read_history(user):
        return rows.none()
    if user.is_superuser or not tracked.regions:
        return rows
    where = Q(pk__in=[])
    for region in user.staff_regions:
        for lookup in tracked.regions:
            where |= Q(**{f"{lookup}__startswith": region.path})
    return rows.filter(where)


@dataclass
class Change:
    field: Any
    old: str
    new: str


@dataclass
class Entry:
    row: Any
    kind: Any
    changes: list[Change] = field(default_factory=list)
    object_label: str = ""
    object_url: str = ""

    @property
    def actor(self) -> str:
        user = self.row.history_user
        return str(user) if user is not None else str(_("系统"))


KINDS = {
    "+": pgettext_lazy("history", "新增"),
    "~": pgettext_lazy("history", "修改"),
    "-": pgettext_lazy("history", "删除"),
}


def object_history(obj: models.Model, *, limit: int = 30) -> list[Entry]:
    """The latest changes of one object, newest first (two queries, plus one per
    kind of related object named in a change)."""
    tracked = tracked_for(type(obj))
    if tracked is None:
        return []
    rows = list(
        tracked.history_model.objects.filter(**{obj._meta.pk.attname: obj.pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    previous = {row.history_id: older for row, older in itertools.pairwise(rows)}
    return _entries(tracked, rows[:limit], previous)


def history_entries(tracked: Tracked, rows: Iterable[Any]) -> list[Entry]:
    """Entries for a page of rows of one model, each compared with the row before it
    (one query for all the earlier rows, one for the objects' names)."""
    rows = list(rows)
    model = tracked.history_model
    pk_name = tracked.model._meta.pk.attname
    earlier = model.objects.filter(
        **{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id")
    ).order_by("-history_id")
    with_previous = model.objects.filter(history_id__in=[row.history_id for row in rows])
    links = dict(
        with_previous.annotate(previous_id=Subquery(earlier.values("history_id")[:1])).values_list(
            "history_id", "previous_id"
        )
    )
    older = model.objects.in_bulk([pk for pk in links.values() if pk is not None])
    previous = {row.history_id: older.get(links.get(row.history_id)) for row in rows}
    entries = _entries(tracked, rows, previous)
    _name_objects(tracked, entries)
    return entries


def _entries(tracked: Tracked, rows: list[Any], previous: Mapping[int, Any]) -> list[Entry]:
    entries = [Entry(row, KINDS.get(row.history_type, row.history_type)) for row in rows]
    raw: list[tuple[Entry, models.Field[Any, Any], Any, Any]] = []
    for entry in entries:
        for model_field, old, new in _field_changes(
            tracked, entry.row, previous.get(entry.row.history_id)
        ):
            raw.append((entry, model_field, old, new))
    names = _related_names(
        (model_field, value) for _e, model_field, *values in raw for value in values
    )
    for entry, model_field, old, new in raw:
        entry.changes.append(
            Change(
                model_field.verbose_name,
                _shown(model_field, old, names),
                _shown(model_field, new, names),
            )
        )
    return entries


def _field_changes(
    tracked: Tracked, row: Any, before: Any
) -> Iterable[tuple[models.Field[Any, Any], Any, Any]]:
    """(field, old, new) for what ``row`` changed against ``before``. The library's
    diff covers the editable fields; masked and non-editable ones (a status) are
    compared here, a masked one by the change noted when it was recorded."""
    if row.history_type == "-" or (before is None and row.history_type != "+"):
        return  # a deletion; or the rows before this one are past the retention period
    masked = set(tracked.masked)
    if before is not None:
        delta = row.diff_against(before, excluded_fields=masked)
        for change in delta.changes:
            yield row.instance_type._meta.get_field(change.field), change.old, change.new
    for model_field in row.tracked_fields:
        name, attname = model_field.name, model_field.attname
        new = getattr(row, attname)
        if name in masked:
            if name in (row.history_masked_changes or []):
                yield model_field, getattr(before, attname) if before is not None else None, new
        elif before is None:
            if new not in (None, "") and not model_field.primary_key:
                yield model_field, None, new
        elif not model_field.editable and getattr(before, attname) != new:
            yield model_field, getattr(before, attname), new


def _related_names(
    values: Iterable[tuple[models.Field[Any, Any], Any]],
) -> dict[tuple[Any, Any], str]:
    wanted: dict[Any, set[Any]] = {}
    for model_field, value in values:
        if model_field.is_relation and value is not None:
            wanted.setdefault(model_field.related_model, set()).add(value)
    names: dict[tuple[Any, Any], str] = {}
    for related, ids in wanted.items():
        for pk, obj in related._default_manager.in_bulk(list(ids)).items():
            names[(related, pk)] = str(obj)
    return names


def _shown(
    model_field: models.Field[Any, Any], value: Any, names: Mapping[tuple[Any, Any], str]
) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "Y-m-d")
    return str(value)


def _name_objects(tracked: Tracked, entries: list[Entry]) -> None:
    """What each row is about, from the live objects (one query; a deleted one by id)."""
    model = tracked.model
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one]
    pk_name = model._meta.pk.attname
    ids = {getattr(entry.row, pk_name) for entry in entries}
    live = model._default_manager.select_related(*relations).in_bulk(list(ids))
    for entry in entries:
        pk = getattr(entry.row, pk_name)
        obj = live.get(pk)
        entry.object_label = str(obj) if obj is not None else f"#{pk}"
        url = getattr(obj, "get_absolute_url", None)
        entry.object_url = url() if obj is not None and callable(url) else ""


# --- retention -----------------------------------------------------------------------------


def history_delete_expired(
    *, cutoff: datetime.datetime, limit: int, dry_run: bool = False
) -> dict[str, int]:
    """Delete historical rows recorded before ``cutoff``, at most ``limit`` per model,
    in batches of PURGE_BATCH, one transaction each (the daily job catches up)."""
    counts: dict[str, int] = {}
    for tracked in TRACKED.values():
        model = tracked.history_model
        expired = model.objects.filter(history_date__lt=cutoff)
        if dry_run:
            counts[tracked.key] = min(expired.count(), limit)
            continue
        done = 0
        while done < limit:
            ids = list(
                expired.values_list("history_id", flat=True)[: min(PURGE_BATCH, limit - done)]
            )
            if not ids:
                break
            with transaction.atomic():
                deleted, _by_model = model.objects.filter(history_id__in=ids).delete()
            done += deleted
        counts[tracked.key] = done
    return counts
