"""The in-app inbox and each user's notification preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.models import Channel, DeliveryMode, Notification, NotificationPreference
from congress.notifications import notification_mark_read
from congress.scoping import acting_user, get_visible_or_404


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=acting_user(request))
    if request.GET.get("unread"):
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request, "congress/inbox/list.html", {"page": page, "unread": request.GET.get("unread")}
    )


@login_required
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one message read and follow its link (only the recipient's own: else 404)."""
    notification = get_visible_or_404(
        Notification.objects.filter(recipient=acting_user(request)), pk=pk
    )
    notification_mark_read(user=request.user, notification_ids=[notification.pk])  # type: ignore[arg-type]
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("inbox")


@login_required
@require_POST
def inbox_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_read(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("已将%(count)s条消息标为已读。") % {"count": count})
    return redirect("inbox")


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(label=Channel.EMAIL.label, choices=DeliveryMode.choices)
    sms = forms.ChoiceField(label=Channel.SMS.label, choices=DeliveryMode.choices)


@login_required
def inbox_preferences(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    current = dict(user.notification_preferences.values_list("channel", "mode"))
    initial = {channel: current.get(channel, DeliveryMode.IMMEDIATE) for channel in Channel.values}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for channel in Channel.values:
            NotificationPreference.objects.update_or_create(
                user=user, channel=channel, defaults={"mode": form.cleaned_data[channel]}
            )
        messages.success(request, _("通知方式已保存。"))
        return redirect("inbox_preferences")
    return render(
        request,
        "congress/inbox/preferences.html",
        {
            "form": form,
            "has_email": bool(user.email),
            "has_mobile": bool(user.mobile),
        },
    )
