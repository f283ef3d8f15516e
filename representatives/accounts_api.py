"""Logins for many representatives at once, over the API (/api/v1/representative-accounts/).

The same service as the staff's page 开通账号 (representatives/accounts.py): ``GET``
previews one page of what would happen to each person chosen, with the counts of
everyone; ``POST`` gives the logins and answers the per-row report. Both take the
page's selection (a congress, a level, a region, representative ids; all given must
hold). A congress, a region or a representative outside the caller's jurisdiction is
a 404; a caller who is neither congress staff nor an administrator gets a 403; a bad
field is a 400 naming it. Running the same POST again finishes an interrupted run:
who got a login is reported as ``has_login``, nobody gets two
(docs/representatives-accounts.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.models import CongressLevel, User
from congress.scoping import acting_user, is_staff_or_admin
from representatives import accounts
from representatives.models import Representative

# The most representatives one request may name by id (a city has about 10,000).
MAX_IDS = 20_000


class AccountSelectionSerializer(serializers.Serializer):
    """Whom to give logins: the page's selection form, as fields."""

    congress = serializers.IntegerField(required=False, min_value=1, allow_null=True)
    level = serializers.ChoiceField(
        choices=CongressLevel.choices, required=False, allow_blank=True, default=""
    )
    region = serializers.IntegerField(required=False, min_value=1, allow_null=True)
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=MAX_IDS,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(attrs.get(name) for name in ("congress", "level", "region", "ids")):
            raise serializers.ValidationError(_("请至少选择人大、层级或地区之一。"))
        return attrs


class AccountPreviewQuerySerializer(AccountSelectionSerializer):
    """The selection in the query string (ids comma-separated), and the page."""

    ids = serializers.CharField(required=False, allow_blank=True, default="")  # type: ignore[assignment]
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=accounts.MAX_PAGE_SIZE, default=accounts.PAGE_SIZE
    )

    def validate_ids(self, value: str) -> list[int]:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not all(part.isdigit() and int(part) > 0 for part in parts):
            raise serializers.ValidationError(_("所选代表有误，请重新选择。"))
        if len(parts) > MAX_IDS:
            raise serializers.ValidationError(
                _("一次最多选择%(count)s名代表。") % {"count": MAX_IDS}
            )
        return [int(part) for part in parts]


class AccountRowSerializer(serializers.Serializer):
    representative = serializers.IntegerField(source="representative_id")
    name = serializers.CharField()
    region = serializers.CharField()
    masked_mobile = serializers.CharField()
    outcome = serializers.ChoiceField(choices=accounts.Outcome.choices)
    outcome_label = serializers.CharField()
    username = serializers.CharField()


class AccountCountSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=accounts.Outcome.choices)
    # The outcome's words, as the page shows them; shadows Field.label on purpose (the
    # serializer's metaclass takes declared fields off the class).
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class AccountPreviewSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    creatable = serializers.IntegerField()
    counts = AccountCountSerializer(many=True)
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = AccountRowSerializer(many=True)


class AccountReportSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    counts = AccountCountSerializer(many=True)
    results = AccountRowSerializer(many=True)


def _counts(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"outcome": value, "label": str(label), "count": counts[value]}
        for value, label in accounts.Outcome.choices
        if counts.get(value)
    ]


def _rows(rows: list[accounts.AccountRow]) -> list[dict[str, Any]]:
    return AccountRowSerializer(rows, many=True).data  # type: ignore[return-value]


class RepresentativeAccountsView(APIView):
    """Preview (GET) and give (POST) representatives' logins in bulk."""

    @staticmethod
    def _staff(request: Request) -> User:
        user = acting_user(request)
        if not is_staff_or_admin(user):
            raise exceptions.PermissionDenied(_("只有人大常委会工作人员可以开通代表登录账号。"))
        return user

    @staticmethod
    def _selection(by: User, data: dict[str, Any]) -> QuerySet[Representative]:
        return accounts.select(
            by=by,
            congress=data.get("congress"),
            level=data.get("level") or "",
            region=data.get("region"),
            ids=data.get("ids") or (),
        )

    @extend_schema(
        operation_id="representative_accounts_preview",
        parameters=[
            OpenApiParameter("congress", int, required=False),
            OpenApiParameter("level", str, required=False, enum=CongressLevel.values),
            OpenApiParameter("region", int, required=False),
            OpenApiParameter("ids", str, required=False, description="1,2,3"),
            OpenApiParameter("page", int, required=False),
            OpenApiParameter("page_size", int, required=False),
        ],
        responses=AccountPreviewSerializer,
    )
    def get(self, request: Request) -> Response:
        by = self._staff(request)
        query = AccountPreviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        preview = accounts.accounts_preview(
            representatives=self._selection(by, data),
            by=by,
            page=data["page"],
            page_size=data["page_size"],
        )
        return Response(
            {
                "total": preview.total,
                "creatable": preview.creatable,
                "counts": _counts(preview.counts),
                "page": preview.page,
                "pages": preview.pages,
                "page_size": preview.page_size,
                "results": _rows(preview.rows),
            }
        )

    @extend_schema(
        operation_id="representative_accounts_create",
        request=AccountSelectionSerializer,
        responses=AccountReportSerializer,
    )
    def post(self, request: Request) -> Response:
        by = self._staff(request)
        selection = AccountSelectionSerializer(data=request.data)
        selection.is_valid(raise_exception=True)
        report = accounts.accounts_create(
            representatives=self._selection(by, selection.validated_data), by=by
        )
        tally = accounts.tally(report)
        return Response(
            {
                "total": len(report),
                "created": tally.get(accounts.Outcome.CREATED, 0),
                "counts": _counts(tally),
                "results": _rows(report),
            }
        )
