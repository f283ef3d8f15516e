"""FilterSets shared by the HTML lists and the API (one query for both)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import CongressLevel, Region
from representatives.models import (
    NOT_OWED,
    Activity,
    ContactLog,
    DutyShift,
    GridAssignment,
    Mandate,
    MandateStatus,
    Representative,
    RepresentativeGroup,
    ShiftStatus,
    Station,
    StationMember,
    VoterDelegate,
    holder_area_q,
)


def _within(queryset: QuerySet, path_field: str, region: Region | None) -> QuerySet:
    if region is None:
        return queryset
    return queryset.filter(**{f"{path_field}__startswith": region.path})


class RepresentativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("姓名或单位"))
    level = django_filters.ChoiceFilter(
        choices=CongressLevel.choices, method="filter_level", label=_("层级")
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_region", label=_("地区")
    )
    group = django_filters.ModelChoiceFilter(
        queryset=RepresentativeGroup.objects.all(), method="filter_group", label=_("代表小组")
    )
    station = django_filters.ModelChoiceFilter(
        queryset=Station.objects.all(), method="filter_station", label=_("家站点")
    )
    active = django_filters.BooleanFilter(method="filter_active", label=_("在任"))

    class Meta:
        model = Representative
        fields = ["q", "level", "region", "group", "station", "active"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(workplace__icontains=value))

    def filter_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Exists(
                Mandate.objects.filter(
                    representative=OuterRef("pk"), level=value, status=MandateStatus.ACTIVE
                )
            )
        )

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return _within(queryset, "region__path", value)

    def filter_group(self, queryset: QuerySet, name: str, value: RepresentativeGroup) -> QuerySet:
        return queryset.filter(
            Exists(
                Mandate.objects.filter(
                    representative=OuterRef("pk"), group=value, status=MandateStatus.ACTIVE
                )
            )
        )

    def filter_station(self, queryset: QuerySet, name: str, value: Station) -> QuerySet:
        return queryset.filter(
            Exists(
                StationMember.objects.filter(
                    representative=OuterRef("pk"), station=value, is_active=True
                )
            )
        )

    def filter_active(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        active = Exists(
            Mandate.objects.filter(representative=OuterRef("pk"), status=MandateStatus.ACTIVE)
        )
        return queryset.filter(active if value else ~active)


class MandateFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_region", label=_("地区")
    )
    active = django_filters.BooleanFilter(method="filter_active", label=_("在任"))

    class Meta:
        model = Mandate
        fields = [
            "representative",
            "level",
            "group",
            "delegation",
            "constituency",
            "region",
            "active",
        ]

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return _within(queryset, "representative__region__path", value)

    def filter_active(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return (
            queryset.filter(status=MandateStatus.ACTIVE)
            if value
            else queryset.exclude(status=MandateStatus.ACTIVE)
        )


class StationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_region", label=_("地区")
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=_("启用"))
    level = django_filters.ChoiceFilter(
        choices=CongressLevel.choices, method="filter_level", label=_("进站代表层级")
    )
    group = django_filters.ModelChoiceFilter(
        queryset=RepresentativeGroup.objects.all(), method="filter_group", label=_("代表小组")
    )

    class Meta:
        model = Station
        fields = ["q", "kind", "region", "active", "level", "group"]

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return _within(queryset, "region__path", value)

    def _with_members(self, queryset: QuerySet, **mandate: object) -> QuerySet:
        return queryset.filter(
            Exists(
                StationMember.objects.filter(
                    station=OuterRef("pk"),
                    is_active=True,
                    representative__mandates__status=MandateStatus.ACTIVE,
                    **{f"representative__mandates__{k}": v for k, v in mandate.items()},
                )
            )
        )

    def filter_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self._with_members(queryset, level=value)

    def filter_group(self, queryset: QuerySet, name: str, value: RepresentativeGroup) -> QuerySet:
        return self._with_members(queryset, group=value)


class RepresentativeRecordFilter(django_filters.FilterSet):
    """Common filters for records that belong to a representative (logs, shifts, grids)."""

    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_region", label=_("地区")
    )
    level = django_filters.ChoiceFilter(
        choices=CongressLevel.choices, method="filter_level", label=_("层级")
    )
    group = django_filters.ModelChoiceFilter(
        queryset=RepresentativeGroup.objects.all(), method="filter_group", label=_("代表小组")
    )
    active = django_filters.BooleanFilter(method="filter_active", label=_("代表在任"))
    # Records that keep their representative's area_N (``HolderAreaColumns``: contacts,
    # shifts) are filtered to a region on them, without joining the regions.
    holder_areas = False

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        if self.holder_areas:
            return queryset.filter(holder_area_q(value))
        return _within(queryset, "representative__region__path", value)

    def _mandates(self, **lookup: object) -> Exists:
        return Exists(
            Mandate.objects.filter(
                representative=OuterRef("representative"), status=MandateStatus.ACTIVE, **lookup
            )
        )

    def filter_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(self._mandates(level=value))

    def filter_group(self, queryset: QuerySet, name: str, value: RepresentativeGroup) -> QuerySet:
        return queryset.filter(self._mandates(group=value))

    def filter_active(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(self._mandates() if value else ~self._mandates())


class ContactLogFilter(RepresentativeRecordFilter):
    holder_areas = True
    start = django_filters.DateFilter(field_name="contacted_on", lookup_expr="gte", label=_("起"))
    end = django_filters.DateFilter(field_name="contacted_on", lookup_expr="lte", label=_("止"))

    class Meta:
        model = ContactLog
        fields = [
            "representative",
            "kind",
            "station",
            "region",
            "level",
            "group",
            "active",
            "start",
            "end",
        ]


class DutyShiftFilter(RepresentativeRecordFilter):
    holder_areas = True
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("起"))
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("止"))
    # The shifts behind the dashboard's duty figures (docs/dashboard.md, "代表工作"):
    # 应值班 is every shift owed (not cancelled, not handed over); 到期未值班 those of
    # them dated today or earlier and not served (leave, absence, never recorded).
    owed = django_filters.BooleanFilter(method="filter_owed", label=_("应值班"))
    missed = django_filters.BooleanFilter(method="filter_missed", label=_("到期未值班"))

    class Meta:
        model = DutyShift
        fields = [
            "representative",
            "station",
            "status",
            "region",
            "level",
            "group",
            "active",
            "start",
            "end",
            "owed",
            "missed",
        ]

    def filter_owed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        owed = ~Q(status__in=NOT_OWED)
        return queryset.filter(owed if value else ~owed)

    def filter_missed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        missed = Q(date__lte=timezone.localdate()) & ~Q(status__in=[*NOT_OWED, ShiftStatus.SERVED])
        return queryset.filter(missed if value else ~missed)


class GridAssignmentFilter(RepresentativeRecordFilter):
    class Meta:
        model = GridAssignment
        fields = ["representative", "grid", "is_active", "region", "level", "group", "active"]


class StationMemberFilter(RepresentativeRecordFilter):
    class Meta:
        model = StationMember
        fields = [
            "station",
            "representative",
            "role",
            "is_active",
            "region",
            "level",
            "group",
            "active",
        ]


class ActivityFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_region", label=_("地区")
    )
    start = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("起")
    )
    end = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("止"))

    class Meta:
        model = Activity
        fields = ["kind", "status", "region", "start", "end"]

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return _within(queryset, "region__path", value)


class VoterDelegateFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_region", label=_("地区")
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=_("在任"))

    class Meta:
        model = VoterDelegate
        fields = ["kind", "region", "active"]

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return _within(queryset, "region__path", value)
