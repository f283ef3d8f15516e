"""Writing the audit trail: every login, grant change, admin edit, state change,
export and reveal, with the actor, the time, the object and the address."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, cast

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from congress.models import AuditAction, AuditEvent, RoleGrant, User
from congress.net import client_ip
from congress.scoping import acting_user

# The request being answered, for services that are called with ``by=user`` only
# (set by congress.middleware.AuditContextMiddleware; empty in Celery tasks).
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    username: str = "",
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """One row of the trail. The address is that of ``request``, or, for a signed-in
    actor, of the request being answered. A citizen acting without an account leaves
    no address here (PIPL: collect no more than the purpose needs)."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = acting_user(request)
    if request is None and actor is not None:
        request = current_request.get()
    return AuditEvent.objects.create(
        actor=actor,
        username=username or (actor.get_username() if actor else ""),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=_object_id(str(obj.pk)) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip=client_ip(request) if request is not None else None,
        detail=detail or {},
    )


def _object_id(value: str) -> str:
    """A primary key as the trail keeps it: most fit whole; a longer one (an API token's
    128-character digest) is cut to a prefix that still finds the row, so the insert
    never fails on PostgreSQL's 64-character column (SQLite does not check lengths)."""
    return value if len(value) <= 64 else value[:16] + "…"


@receiver(user_logged_in)
def _on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit_record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The credentials dict is already scrubbed of the password by Django.
    username = str(credentials.get("username", ""))[:150]
    audit_record(action=AuditAction.LOGIN_FAILED, username=username, request=request)


def _grant_changed(action: str, grant: RoleGrant, **detail: Any) -> None:
    """A role given or taken away. The actor is whoever is signed in to the request being
    answered (an administrator in the admin, staff on a page, a token's user in the API:
    DRF sets the authenticated user on the underlying request too), with its address;
    the object is the user whose role changed. Outside a request (a shell, a migration,
    the demo) there is no actor and no address, rather than the affected user's name."""
    request = current_request.get()
    actor = acting_user(request) if request and request.user.is_authenticated else None
    audit_record(
        action=action,
        actor=actor,
        obj=grant.user,
        request=request,
        detail={
            "grant": grant.pk,
            "user": grant.user.get_username(),
            "role": grant.role,
            "region": grant.region_id,
            "department": grant.department_id,
            **detail,
        },
    )


@receiver(post_save, sender=RoleGrant)
def _on_grant_saved(sender: Any, instance: RoleGrant, created: bool, **kwargs: Any) -> None:
    _grant_changed(AuditAction.GRANT_ADDED, instance, created=created)


@receiver(post_delete, sender=RoleGrant)
def _on_grant_deleted(sender: Any, instance: RoleGrant, **kwargs: Any) -> None:
    _grant_changed(AuditAction.GRANT_REMOVED, instance)


_ADMIN_ACTIONS = {
    ADDITION: AuditAction.ADMIN_ADD,
    CHANGE: AuditAction.ADMIN_CHANGE,
    DELETION: AuditAction.ADMIN_DELETE,
}


@receiver(post_save, sender=LogEntry)
def _on_admin_edit(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    user = cast(User, instance.user)
    content_type = cast(ContentType | None, instance.content_type)
    model = content_type.model_class() if content_type is not None else None
    AuditEvent.objects.create(
        actor_id=instance.user_id,
        username=user.get_username(),
        action=_ADMIN_ACTIONS.get(instance.action_flag, AuditAction.ADMIN_CHANGE),
        object_type=model._meta.label if model is not None else "",
        object_id=_object_id(str(instance.object_id or "")),
        object_repr=instance.object_repr[:200],
        detail={"change": instance.get_change_message()},
    )
