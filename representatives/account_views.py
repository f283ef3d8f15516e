"""Staff pages that give representatives logins in bulk (representatives/accounts.py).

The selection page previews on GET and writes on POST (the confirmation carries
the same selection); the import page imports a sheet the way 导入代表 does and
previews logins for its people, confirmed on the selection page by their ids.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from congress.models import Congress, CongressLevel, Region, RegionLevel, User
from congress.scoping import acting_user, is_staff_or_admin, visible_regions
from representatives import accounts, services
from representatives.forms import ImportForm
from representatives.models import Mandate, MandateStatus, Representative
from representatives.spreadsheet import COLUMNS

# Rows of the table shown; the counts above it cover everyone.
SHOWN_ROWS = 500


class SelectionForm(forms.Form):
    congress = forms.ModelChoiceField(
        label=gettext_lazy("人大"), queryset=Congress.objects.none(), required=False
    )
    level = forms.ChoiceField(
        label=gettext_lazy("层级"),
        choices=[("", "---------"), *CongressLevel.choices],
        required=False,
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("所属地区（含下级）"), queryset=Region.objects.none(), required=False
    )
    ids = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = visible_regions(user)
        self.fields["congress"].queryset = (  # type: ignore[attr-defined]
            Congress.objects.filter(region__in=regions)
            .select_related("region")
            .order_by("region__path")
        )
        self.fields["region"].queryset = regions.filter(  # type: ignore[attr-defined]
            level__in=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
        ).order_by("path")

    def clean_ids(self) -> list[int]:
        text = self.cleaned_data.get("ids") or ""
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("所选代表有误，请重新选择。")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("congress", "level", "region", "ids")):
            raise forms.ValidationError(_("请至少选择人大、层级或地区之一。"))
        return data

    def selection(self) -> QuerySet[Representative]:
        data = self.cleaned_data
        people = Representative.objects.all()
        if data.get("ids"):
            people = people.filter(pk__in=data["ids"])
        seats = {"status": MandateStatus.ACTIVE}
        if data.get("congress"):
            seats["term__congress"] = data["congress"]
        if data.get("level"):
            seats["level"] = data["level"]
        if len(seats) > 1:
            people = people.filter(pk__in=Mandate.objects.filter(**seats).values("representative"))
        if data.get("region"):
            people = people.filter(region__path__startswith=data["region"].path)
        return people


def _staff(request: HttpRequest) -> User:
    user = acting_user(request)
    if not is_staff_or_admin(user):
        raise Http404
    return user


def _page(
    request: HttpRequest,
    *,
    form: SelectionForm,
    rows: list[accounts.AccountRow] | None,
    done: bool,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "representatives/accounts/accounts.html",
        {
            "form": form,
            "rows": (rows or [])[:SHOWN_ROWS],
            "total": len(rows or []),
            "counts": accounts.outcome_counts(rows or []),
            "creatable": sum(row.created for row in rows or []),
            "done": done,
            "shown": SHOWN_ROWS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def representative_accounts(request: HttpRequest) -> HttpResponse:
    """GET with a selection: the preview. POST: create, then the report."""
    by = _staff(request)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = SelectionForm(data, user=by)
    if data is None:
        return _page(request, form=form, rows=None, done=False)
    if not form.is_valid():
        return _page(request, form=form, rows=None, done=False, status=400)
    if request.method == "POST":
        rows = accounts.accounts_create(representatives=form.selection(), by=by)
        return _page(request, form=form, rows=rows, done=True)
    rows = accounts.accounts_preview(representatives=form.selection(), by=by)
    return _page(request, form=form, rows=rows, done=False)


@login_required
@require_http_methods(["GET", "POST"])
def representative_accounts_import(request: HttpRequest) -> HttpResponse:
    """Import a sheet (as 导入代表 does), then preview logins for its people."""
    by = _staff(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.representatives_import(file=request.FILES["file"], by=by)
        if result.ok:
            people = Representative.objects.filter(id_number__in=result.id_numbers)
            rows = accounts.accounts_preview(representatives=people, by=by)
            selection = SelectionForm(
                initial={"ids": ",".join(str(row.representative_id) for row in rows)}, user=by
            )
            return render(
                request,
                "representatives/accounts/accounts.html",
                {
                    "form": selection,
                    "rows": rows[:SHOWN_ROWS],
                    "total": len(rows),
                    "counts": accounts.outcome_counts(rows),
                    "creatable": sum(row.created for row in rows),
                    "done": False,
                    "shown": SHOWN_ROWS,
                    "imported": result,
                },
            )
    return render(
        request,
        "representatives/accounts/import.html",
        {"form": form, "result": result, "columns": [_(header) for _f, header in COLUMNS]},
        status=400 if result is not None or form.errors else 200,
    )
