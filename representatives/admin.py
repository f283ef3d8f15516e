"""Admin: reference data and rules (point rules above all); daily work uses the pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congress.models import Region
from representatives.models import (
    Activity,
    ActivityParticipation,
    Constituency,
    ContactLog,
    ContactProblem,
    Delegation,
    DutyPattern,
    DutyShift,
    GridAssignment,
    Mandate,
    PointRule,
    Representative,
    RepresentativeGroup,
    Station,
    StationMember,
    VoterDelegate,
    VoterEvaluation,
)
from representatives.seat_counts import seat_counts_refresh


class MandateInline(admin.TabularInline[Mandate, Representative]):
    model = Mandate
    extra = 0
    autocomplete_fields = ["constituency", "delegation", "group", "electoral_unit"]
    readonly_fields = ["status"]


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin[Representative]):
    list_display = ["name", "gender", "region", "sector", "phone_policy", "user"]
    list_filter = ["gender", "sector", "party", "mandates__level", "mandates__status"]
    search_fields = ["name", "workplace"]
    autocomplete_fields = ["region", "user"]
    list_select_related = ["region", "user"]
    inlines = [MandateInline]
    # The ID number is personal data: it is not shown here either (edit it on the page,
    # where it is entered but never displayed in full).
    exclude = ["id_number"]
    readonly_fields = ["masked_id_number"]

    @admin.display(description=_("身份证号"))
    def masked_id_number(self, obj: Representative) -> str:
        return obj.masked_id_number

    # The dashboard's seats summary follows what the admin changes, as the services
    # do (representatives/seat_counts.py): the person's old and new region, once the
    # seats inline is saved. (Kept on the instance: this admin object serves every request.)
    def save_model(
        self, request: HttpRequest, obj: Representative, form: Any, change: bool
    ) -> None:
        stored = Representative.objects.filter(pk=obj.pk).values("region")
        obj._seat_regions = [obj.region, *Region.objects.filter(pk__in=stored)]  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        seat_counts_refresh(getattr(form.instance, "_seat_regions", [form.instance.region]))

    def delete_model(self, request: HttpRequest, obj: Representative) -> None:
        super().delete_model(request, obj)
        seat_counts_refresh([obj.region])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Representative]) -> None:
        regions = list(Region.objects.filter(pk__in=queryset.values("region")))
        super().delete_queryset(request, queryset)
        seat_counts_refresh(regions)


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin[Mandate]):
    list_display = ["representative", "level", "term", "constituency", "group", "status"]
    list_filter = ["level", "status"]
    search_fields = ["representative__name"]
    autocomplete_fields = [
        "representative",
        "constituency",
        "delegation",
        "group",
        "electoral_unit",
    ]
    list_select_related = ["representative", "term__congress", "constituency", "group"]
    readonly_fields = ["status", "version"]

    # The dashboard's seats summary (representatives/seat_counts.py): the holder's
    # region, and the former holder's when the seat was moved to another person.
    def save_model(self, request: HttpRequest, obj: Mandate, form: Any, change: bool) -> None:
        holders = Mandate.objects.filter(pk=obj.pk).values("representative__region")
        before = list(Region.objects.filter(pk__in=holders))
        super().save_model(request, obj, form, change)
        seat_counts_refresh([obj.representative.region, *before])

    def delete_model(self, request: HttpRequest, obj: Mandate) -> None:
        super().delete_model(request, obj)
        seat_counts_refresh([obj.representative.region])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Mandate]) -> None:
        regions = list(Region.objects.filter(pk__in=queryset.values("representative__region")))
        super().delete_queryset(request, queryset)
        seat_counts_refresh(regions)


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin[Constituency]):
    list_display = ["name", "congress", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["congress", "region"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin[Delegation]):
    list_display = ["name", "congress"]
    search_fields = ["name"]
    autocomplete_fields = ["congress"]


@admin.register(RepresentativeGroup)
class RepresentativeGroupAdmin(admin.ModelAdmin[RepresentativeGroup]):
    list_display = ["name", "region", "specialty"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


@admin.register(VoterDelegate)
class VoterDelegateAdmin(admin.ModelAdmin[VoterDelegate]):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


class StationMemberInline(admin.TabularInline[StationMember, Station]):
    model = StationMember
    extra = 0
    autocomplete_fields = ["representative"]


@admin.register(Station)
class StationAdmin(admin.ModelAdmin[Station]):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["region", "grids"]
    inlines = [StationMemberInline]


@admin.register(DutyPattern)
class DutyPatternAdmin(admin.ModelAdmin[DutyPattern]):
    list_display = ["station", "kind", "month_digits", "weekdays", "starts_on", "ends_on"]
    search_fields = ["station__name"]
    autocomplete_fields = ["station", "rotation"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin[DutyShift]):
    list_display = ["date", "start_time", "station", "representative", "status", "published_at"]
    list_filter = ["status"]
    date_hierarchy = "date"
    search_fields = ["representative__name", "station__name"]
    list_select_related = ["station", "representative"]
    readonly_fields = ["status", "version", "swapped_from"]
    autocomplete_fields = ["station", "representative", "pattern"]


@admin.register(GridAssignment)
class GridAssignmentAdmin(admin.ModelAdmin[GridAssignment]):
    list_display = ["representative", "grid", "starts_on", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["representative__name", "grid__name"]
    autocomplete_fields = ["representative", "grid"]
    list_select_related = ["representative", "grid"]


class ContactProblemInline(admin.TabularInline[ContactProblem, ContactLog]):
    model = ContactProblem
    extra = 0


@admin.register(ContactLog)
class ContactLogAdmin(admin.ModelAdmin[ContactLog]):
    list_display = ["contacted_on", "representative", "kind", "people_count", "station"]
    list_filter = ["kind"]
    date_hierarchy = "contacted_on"
    search_fields = ["representative__name", "summary"]
    list_select_related = ["representative", "station"]
    autocomplete_fields = ["representative", "station"]
    inlines = [ContactProblemInline]


class ParticipationInline(admin.TabularInline[ActivityParticipation, Activity]):
    model = ActivityParticipation
    extra = 0
    autocomplete_fields = ["representative"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    list_display = ["title", "kind", "region", "starts_at", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    autocomplete_fields = ["region"]
    readonly_fields = ["status", "version"]
    inlines = [ParticipationInline]


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin[PointRule]):
    list_display = ["label", "code", "points", "is_active", "sort_order"]
    list_editable = ["points", "is_active", "sort_order"]
    readonly_fields = ["code"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The code is what the counting refers to: switch a rule off instead.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[PointRule]:
        # The installation's rules; a congress sets its own on its rules page.
        return super().get_queryset(request).filter(congress=None)

    def save_model(self, request: HttpRequest, obj: PointRule, form: Any, change: bool) -> None:
        # Last year keeps the values it was counted with (docs/rules.md, 'Point rules').
        from representatives.point_rules import freeze_past_years

        freeze_past_years()
        super().save_model(request, obj, form, change)


@admin.register(VoterEvaluation)
class VoterEvaluationAdmin(admin.ModelAdmin[VoterEvaluation]):
    list_display = ["created_at", "representative", "station", "year", "rating"]
    list_filter = ["year", "rating"]
    list_select_related = ["representative", "station"]
    search_fields = ["representative__name"]
