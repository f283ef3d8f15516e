"""API shapes: what a suggestion looks like, and the input of each step."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.models import Assignment, CaseEvent, Department, Session, SessionKind
from congress.uploads import CleanUpload, clean_attachment
from representatives.models import Representative, RepresentativeGroup
from suggestions.formal import conf
from suggestions.formal.selectors import assignable_departments, cosigner_candidates
from suggestions.models.formal import (
    HandlingMethod,
    HandlingStage,
    ReplyCategory,
    Suggestion,
    SuggestionCategory,
    SuggestionKind,
    SuggestionRating,
    SuggestionReply,
    SuggestionSatisfaction,
    SuggestionSigner,
)


class SuggestionSignerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="representative.name", read_only=True)

    class Meta:
        model = SuggestionSigner
        fields = ["id", "representative", "name", "role", "status", "responded_at"]


class SuggestionRatingSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="representative.name", read_only=True)

    class Meta:
        model = SuggestionRating
        fields = ["representative", "name", "attitude", "result", "comment", "channel", "rated_at"]


class SuggestionReplySerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    ratings = SuggestionRatingSerializer(many=True, read_only=True)

    class Meta:
        model = SuggestionReply
        fields = [
            "id",
            "round",
            "is_follow_up",
            "department",
            "department_name",
            "category",
            "text",
            "signing_official",
            "on_time",
            "replied_at",
            "ratings",
        ]


class SuggestionAssignmentSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "case_id",
            "title",
            "department",
            "department_name",
            "role",
            "status",
            "version",
            "assigned_at",
            "due_on",
            "due_provisional",
            "original_due_on",
            "latest_due_on",
            "replied_at",
            "closed_at",
        ]
        read_only_fields = fields


class SuggestionEventSerializer(serializers.ModelSerializer):
    action_name = serializers.CharField(source="action_label", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["at", "actor_label", "action", "action_name", "from_status", "to_status", "note"]


class SuggestionSerializer(serializers.ModelSerializer):
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    session_name = serializers.CharField(source="session.__str__", read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "content",
            "category",
            "research_basis",
            "session",
            "session_name",
            "congress",
            "lead",
            "lead_name",
            "delegation",
            "by_delegation",
            "status",
            "version",
            "submitted_at",
            "pre_submitted",
            "review_note",
            "merged_into",
            "accepted_at",
            "assign_by",
            "assigned_at",
            "lead_assignment",
            "reply_category",
            "first_replied_at",
            "replied_on_time",
            "attitude_rating",
            "result_rating",
            "follow_up_category",
            "is_key",
            "key_leading_official",
            "key_supervisor",
            "key_committee",
            "publish_consent",
            "closed_at",
        ]
        read_only_fields = fields


class SuggestionDetailSerializer(SuggestionSerializer):
    signers = SuggestionSignerSerializer(many=True, read_only=True)
    replies = SuggestionReplySerializer(many=True, read_only=True)

    class Meta(SuggestionSerializer.Meta):
        fields = [*SuggestionSerializer.Meta.fields, "signers", "replies"]
        read_only_fields = fields


# --- inputs --------------------------------------------------------------------------------


class SuggestionCreateSerializer(serializers.Serializer):
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.filter(kind=SessionKind.PLENARY), allow_null=True
    )
    kind = serializers.ChoiceField(
        choices=SuggestionKind.choices, default=SuggestionKind.SUGGESTION
    )
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    category = serializers.ChoiceField(choices=SuggestionCategory.choices)
    research_basis = serializers.CharField(required=False, allow_blank=True, default="")
    by_delegation = serializers.BooleanField(required=False, default=False)
    lead = serializers.PrimaryKeyRelatedField(
        queryset=Representative.objects.all(),
        required=False,
        help_text=_("由工作人员代录时填写领衔代表"),
    )


class SuggestionUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SuggestionKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    content = serializers.CharField(required=False)
    category = serializers.ChoiceField(choices=SuggestionCategory.choices, required=False)
    research_basis = serializers.CharField(required=False, allow_blank=True)
    by_delegation = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False)


class SuggestionVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True)


class SuggestionNoteSerializer(SuggestionVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SuggestionCommentSerializer(SuggestionVersionSerializer):
    comment = serializers.CharField()


class SuggestionReasonSerializer(SuggestionVersionSerializer):
    reason = serializers.CharField()


class _WithSuggestion(serializers.Serializer):
    """Related choices limited to what makes sense for this suggestion (from context)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suggestion = self.context.get("suggestion")
        if suggestion is not None:  # the schema generator has none: no choices
            self.limit_choices(suggestion)

    def limit_choices(self, suggestion: Suggestion) -> None:
        """Set the querysets of related fields for this suggestion."""


class SuggestionInviteSerializer(_WithSuggestion):
    representatives = serializers.PrimaryKeyRelatedField(
        queryset=Representative.objects.none(), many=True
    )

    def limit_choices(self, suggestion: Suggestion) -> None:
        field = self.fields["representatives"]
        field.child_relation.queryset = cosigner_candidates(suggestion)  # type: ignore[attr-defined]


class SuggestionCosignSerializer(serializers.Serializer):
    confirm = serializers.BooleanField()


class SuggestionReviewSerializer(_WithSuggestion, SuggestionVersionSerializer):
    decision = serializers.ChoiceField(
        choices=["register", "convert_to_suggestion", "merge", "convert_to_letter", "refuse"]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    merge_into = serializers.PrimaryKeyRelatedField(
        queryset=Suggestion.objects.none(), required=False, allow_null=True
    )

    def limit_choices(self, suggestion: Suggestion) -> None:
        field = self.fields["merge_into"]
        field.queryset = Suggestion.objects.filter(session=suggestion.session)  # type: ignore[attr-defined]


# Any department id is taken here: the service answers one outside the user's scope
# with a 404 and one this congress may not assign to with a message (docs/security.md).


class SuggestionAssignSerializer(SuggestionVersionSerializer):
    lead_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.select_related("region")
    )
    co_handlers = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.select_related("region"),
        many=True,
        required=False,
        default=list,
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SuggestionReassignSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.select_related("region")
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SuggestionRateSerializer(_WithSuggestion):
    attitude = serializers.ChoiceField(choices=SuggestionSatisfaction.choices)
    result = serializers.ChoiceField(choices=SuggestionSatisfaction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    representative = serializers.PrimaryKeyRelatedField(
        queryset=Representative.objects.none(),
        required=False,
        help_text=_("录入纸质征询意见表时填写"),
    )

    def limit_choices(self, suggestion: Suggestion) -> None:
        self.fields["representative"].queryset = Representative.objects.filter(  # type: ignore[attr-defined]
            signed_suggestions__suggestion=suggestion
        )


class SuggestionKeySerializer(serializers.Serializer):
    is_key = serializers.BooleanField()
    leading_official = serializers.CharField(required=False, allow_blank=True, default="")
    supervisor = serializers.CharField(required=False, allow_blank=True, default="")
    committee = serializers.CharField(required=False, allow_blank=True, default="")


class SuggestionPublishSerializer(serializers.Serializer):
    consent = serializers.BooleanField()


class SuggestionGroupEvaluationSerializer(_WithSuggestion):
    group = serializers.PrimaryKeyRelatedField(queryset=RepresentativeGroup.objects.none())
    held_on = serializers.DateField()
    participants = serializers.IntegerField(min_value=1)
    result = serializers.ChoiceField(choices=SuggestionSatisfaction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def limit_choices(self, suggestion: Suggestion) -> None:
        region = suggestion.congress.region
        self.fields["group"].queryset = RepresentativeGroup.objects.filter(  # type: ignore[attr-defined]
            region__path__startswith=region.path
        )


class SuggestionContactSerializer(_WithSuggestion):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.none())
    stage = serializers.ChoiceField(choices=HandlingStage.choices)
    method = serializers.ChoiceField(choices=HandlingMethod.choices)
    contacted_on = serializers.DateField()
    note = serializers.CharField()

    def limit_choices(self, suggestion: Suggestion) -> None:
        self.fields["department"].queryset = assignable_departments(suggestion)  # type: ignore[attr-defined]


class AttachmentsField(serializers.ListField):
    """Documents checked by ``congress.uploads`` (PDF by its magic bytes, photos re-encoded)."""

    child = serializers.FileField()

    def to_internal_value(self, data: Any) -> list[CleanUpload]:
        files = super().to_internal_value(data)
        if len(files) > 10:
            raise serializers.ValidationError(_("最多上传10个附件。"))
        try:
            return [clean_attachment(f, limit=conf.attachment_max_bytes()) for f in files]
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class SuggestionReplyInputSerializer(SuggestionVersionSerializer):
    category = serializers.ChoiceField(choices=ReplyCategory.choices)
    text = serializers.CharField()
    signing_official = serializers.CharField(max_length=50)
    attachments = AttachmentsField(required=False, default=list)


class SuggestionOpinionSerializer(SuggestionVersionSerializer):
    text = serializers.CharField()
    attachments = AttachmentsField(required=False, default=list)


class SuggestionExtensionSerializer(SuggestionVersionSerializer):
    until = serializers.DateField()
    reason = serializers.CharField()


class SuggestionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SuggestionProgressSerializer(serializers.Serializer):
    note = serializers.CharField()


class SuggestionPublicReplySerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = SuggestionReply
        fields = [
            "department_name",
            "category",
            "text",
            "signing_official",
            "replied_at",
            "is_follow_up",
        ]


class SuggestionPublicSuggestionSerializer(serializers.ModelSerializer):
    session_name = serializers.CharField(source="session.__str__", read_only=True)
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    replies = SuggestionPublicReplySerializer(source="public_replies", many=True, read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number",
            "title",
            "content",
            "category",
            "session_name",
            "lead_name",
            "replies",
        ]
