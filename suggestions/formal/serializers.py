"""API shapes: what a suggestion looks like, filing one, and the schema of its actions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.models import Assignment, CaseEvent, Session, SessionKind
from representatives.models import Representative
from suggestions.formal import forms as f
from suggestions.models.formal import (
    Suggestion,
    SuggestionCategory,
    SuggestionKind,
    SuggestionRating,
    SuggestionReply,
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


# --- the input of the actions, for the schema ------------------------------------------------

# The actions validate with their forms (actions.py), for the page and the API alike; the
# schema describes the same fields. A choice between yes and no ("1"/"0" on a page) is a
# boolean for an API client.
_SCALARS: list[tuple[type[forms.Field], Callable[[forms.Field], serializers.Field]]] = [
    (f.YesNoField, lambda field: serializers.BooleanField()),
    (forms.ModelMultipleChoiceField, lambda field: serializers.ListField(child=_id())),
    (forms.ModelChoiceField, lambda field: _id()),
    (forms.ChoiceField, lambda field: serializers.ChoiceField(choices=_choices(field))),
    (forms.BooleanField, lambda field: serializers.BooleanField()),
    (forms.DateField, lambda field: serializers.DateField()),
    (forms.IntegerField, lambda field: serializers.IntegerField(allow_null=True)),
    (f.AttachmentsField, lambda field: serializers.ListField(child=serializers.FileField())),
    (forms.CharField, lambda field: serializers.CharField(allow_blank=True)),
]


def _id() -> serializers.IntegerField:
    return serializers.IntegerField(help_text=_("编号（id）"))


def _choices(field: forms.Field) -> list[Any]:
    assert isinstance(field, forms.ChoiceField)
    pairs: Iterable[tuple[Any, Any]] = field.choices  # type: ignore[assignment]
    return [(value, label) for value, label in pairs if value != ""]


def _as_serializer_field(field: forms.Field) -> serializers.Field:
    for kind, build in _SCALARS:
        if isinstance(field, kind):
            made = build(field)
            made.required = False  # which fields an action needs is in the description
            made.help_text = made.help_text or (str(field.label) if field.label else None)
            return made
    raise TypeError(f"No schema for a {type(field).__name__}")


def action_input_serializer(
    component: str, forms_by_action: dict[str, type[forms.Form]]
) -> tuple[type[serializers.Serializer], str]:
    """One input shape for an ``actions/<name>/`` route: every field any of its actions'
    forms take (for the schema), and a description of which action takes which."""
    fields: dict[str, serializers.Field] = {}
    lines = []
    for name, form_class in forms_by_action.items():
        form_fields = form_class.base_fields
        for key, field in form_fields.items():
            fields.setdefault(key, _as_serializer_field(field))
        taken = [f"{key}{'*' if field.required else ''}" for key, field in form_fields.items()]
        lines.append(f"- `{name}`: {', '.join(taken) or '—'}")
    serializer = type(component, (serializers.Serializer,), fields)
    description = "Fields of each action (* required):\n" + "\n".join(lines)
    return serializer, description


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
