"""Staff pages that give representatives logins in bulk (representatives/accounts.py).

The selection page previews on GET and writes on POST (the confirmation carries
the same selection); the import page imports a sheet the way 导入代表 does and
previews logins for its people, confirmed on the selection page by their ids.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

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
from representatives.models import Representative
from representatives.spreadsheet import COLUMNS

# Rows of the report shown after creating; the counts above it cover everyone. The
# preview is paged (accounts.PAGE_SIZE rows a page).
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
        self.user = user
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
        """The people chosen, read by the service the API uses too (accounts.select)."""
        data = self.cleaned_data
        return accounts.select(
            by=self.user,
            congress=data["congress"].pk if data.get("congress") else None,
            level=data.get("level") or "",
            region=data["region"].pk if data.get("region") else None,
            ids=data.get("ids") or (),
        )

    def query(self) -> str:
        """The selection as a query string, for the preview's page links."""
        if not self.is_bound:
            return ""
        return urlencode(
            {
                name: value
                for name in ("congress", "level", "region", "ids")
                if (value := self.data.get(name))
            }
        )


def _staff(request: HttpRequest) -> User:
    user = acting_user(request)
    if not is_staff_or_admin(user):
        raise Http404
    return user


def _page(
    request: HttpRequest,
    *,
    form: SelectionForm,
    preview: accounts.Preview | None = None,
    report: list[accounts.AccountRow] | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The selection, and the preview's page or the report (the first SHOWN_ROWS rows)."""
    context: dict[str, Any] = {"form": form, "done": report is not None, **extra}
    if preview is not None:
        context.update(
            rows=preview.rows,
            total=preview.total,
            counts=preview.labelled_counts,
            creatable=preview.creatable,
            preview=preview,
            query=form.query(),
        )
    elif report is not None:
        context.update(
            rows=report[:SHOWN_ROWS],
            total=len(report),
            counts=accounts.outcome_counts(report),
            creatable=sum(row.created for row in report),
            shown=SHOWN_ROWS,
        )
    return render(request, "representatives/accounts/accounts.html", context, status=status)


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "")
    return int(text) if text.isdigit() else 1


@login_required
@require_http_methods(["GET", "POST"])
def representative_accounts(request: HttpRequest) -> HttpResponse:
    """GET with a selection: the preview. POST: create, then the report."""
    by = _staff(request)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = SelectionForm(data, user=by)
    if data is None:
        return _page(request, form=form)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    if request.method == "POST":
        report = accounts.accounts_create(representatives=form.selection(), by=by)
        return _page(request, form=form, report=report)
    preview = accounts.accounts_preview(
        representatives=form.selection(), by=by, page=_page_number(request)
    )
    return _page(request, form=form, preview=preview)


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
            people = accounts.selectable(by).filter(id_number__in=result.id_numbers)
            ids = ",".join(str(pk) for pk in people.order_by("pk").values_list("pk", flat=True))
            preview = accounts.accounts_preview(representatives=people, by=by)
            # The sheet's people go on to the confirmation by their ids; the preview's
            # other pages are not linked (a city's ids would not fit in a link).
            selection = SelectionForm(initial={"ids": ids}, user=by)
            return _page(request, form=selection, preview=preview, imported=result)
    return render(
        request,
        "representatives/accounts/import.html",
        {"form": form, "result": result, "columns": [_(header) for _f, header in COLUMNS]},
        status=400 if result is not None or form.errors else 200,
    )
