"""The audit trail, searchable by staff: administrators see all, staff their region's users.

Who did what is sensitive in itself, so the page follows the same rule as every
other list (docs/architecture.md, 'Who sees what'): one scoping function, and a 404
for anyone with no business here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from congress.models import AuditAction, AuditEvent, Role, RoleGrant, User
from congress.scoping import is_staff_or_admin

ACTION_LABELS: dict[str, Any] = dict(AuditAction.choices)


def visible_audit_events(user: Any) -> QuerySet[AuditEvent]:
    """Administrators: everything. Staff: events of users who hold a role in their
    regions or below (a failed login counts by the name typed), and the roles given to
    or taken from those users (the actor is an administrator). Anyone else: nothing."""
    if not user.is_authenticated:
        return AuditEvent.objects.none()
    if user.is_superuser:
        return AuditEvent.objects.all()
    if not user.staff_regions:
        return AuditEvent.objects.none()
    grants = Q(pk__in=[])
    for region in user.staff_regions:
        grants |= Q(role__in=[Role.STAFF, Role.COMMITTEE], region__path__startswith=region.path)
        grants |= Q(role=Role.HANDLER, department__region__path__startswith=region.path)
    people = RoleGrant.objects.filter(grants).values("user_id")
    names = User.objects.filter(pk__in=people).values("username")
    # The audit row's object id is text; the grant rows name the affected user there.
    targets = (
        RoleGrant.objects.filter(grants)
        .annotate(uid=Cast("user_id", output_field=CharField()))
        .values("uid")
    )
    return AuditEvent.objects.filter(
        Q(actor_id__in=people)
        | Q(actor__isnull=True, username__in=names)
        | Q(
            action__in=[AuditAction.GRANT_ADDED, AuditAction.GRANT_REMOVED],
            object_type=User._meta.label,
            object_id__in=targets,
        )
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("动作"), required=False, choices=[("", _("全部动作")), *ACTION_LABELS.items()]
    )
    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    target = forms.CharField(label=_("对象"), required=False, max_length=100)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def apply(self, rows: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        data = self.cleaned_data
        if data.get("action"):
            rows = rows.filter(action=data["action"])
        if data.get("username"):
            rows = rows.filter(username__iexact=data["username"].strip())
        if data.get("target"):
            term = data["target"].strip()
            rows = rows.filter(Q(object_repr__icontains=term) | Q(object_type__icontains=term))
        if data.get("since"):
            rows = rows.filter(at__gte=_start_of(data["since"]))
        if data.get("until"):
            rows = rows.filter(at__lt=_start_of(data["until"] + datetime.timedelta(days=1)))
        return rows


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not is_staff_or_admin(user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    rows = visible_audit_events(user)
    if form.is_bound and form.is_valid():
        rows = form.apply(rows)
    page = Paginator(rows.order_by("-at", "-pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "congress/audit/list.html", context)
