"""The shape of what people type: filing a suggestion, and one form per action on it
(``actions.py`` says which form each action takes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Assignment, Department, Session
from congress.uploads import CleanUpload, clean_attachment
from representatives.models import Representative, RepresentativeGroup
from suggestions.formal import conf
from suggestions.formal.selectors import (
    assignable_departments,
    cosigner_candidates,
    latest_main_reply,
    plenary_sessions_for,
)
from suggestions.models.formal import (
    HandlingMethod,
    HandlingStage,
    ReplyCategory,
    SignerStatus,
    Suggestion,
    SuggestionCategory,
    SuggestionKind,
    SuggestionSatisfaction,
)

if TYPE_CHECKING:
    from suggestions.formal.actions import Viewer

MAX_ATTACHMENTS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several documents (PDF or photos), each checked by ``congress.uploads``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,image/*"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("附件（PDF 或图片）"))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CleanUpload]:
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("最多上传%(n)s个附件。"), code="too_many", params={"n": MAX_ATTACHMENTS}
            )
        return [clean_attachment(f, limit=conf.attachment_max_bytes()) for f in files]


def _text(label: Any, *, rows: int = 4, required: bool = True, max_length: int = 20000) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ActionForm(forms.Form):
    """The input of one action on a suggestion (or on one of its assignments), for the
    page and the API alike (``actions.py``). It is built for the person looking at the
    suggestion, so that its choices are theirs to make, and a page shows it at the
    version it was read at (a stale page loses)."""

    def __init__(
        self,
        *args: Any,
        viewer: Viewer,
        assignment: Assignment | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.suggestion = viewer.suggestion
        self.assignment = assignment
        if "version" in self.fields:
            self.initial.setdefault("version", self.shown_version())

    def shown_version(self) -> int:
        return (self.assignment or self.suggestion).version


class VersionForm(ActionForm):
    """A button that moves a suggestion or an assignment."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SuggestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=SuggestionKind.choices, initial=SuggestionKind.SUGGESTION
    )
    session = forms.ModelChoiceField(
        label=_("所属会议"), queryset=Session.objects.none(), empty_label=_("请选择会议")
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=SuggestionCategory.choices)
    content = _text(_("建议内容"), rows=8)
    research_basis = _text(_("调研情况"), rows=3, required=False)
    by_delegation = forms.BooleanField(label=_("以代表团名义提出（议案）"), required=False)

    def __init__(self, *args: Any, lead: Representative | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session_field = self.fields["session"]
        assert isinstance(session_field, forms.ModelChoiceField)
        if lead is not None:
            session_field.queryset = plenary_sessions_for(lead)


class StaffEntryForm(SuggestionForm):
    """A paper suggestion entered by staff for a representative (代录)."""

    lead = forms.ModelChoiceField(
        label=_("领衔代表"), queryset=Representative.objects.none(), empty_label=_("请选择代表")
    )

    field_order = ["lead", "kind", "session", "title", "category", "content", "research_basis"]

    def __init__(
        self,
        *args: Any,
        representatives: Any = None,
        sessions: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        lead_field = self.fields["lead"]
        session_field = self.fields["session"]
        assert isinstance(lead_field, forms.ModelChoiceField)
        assert isinstance(session_field, forms.ModelChoiceField)
        if representatives is not None:
            lead_field.queryset = representatives
        if sessions is not None:
            session_field.queryset = sessions


class SuggestionEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=SuggestionKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=SuggestionCategory.choices)
    content = _text(_("建议内容"), rows=8)
    research_basis = _text(_("调研情况"), rows=3, required=False)
    by_delegation = forms.BooleanField(label=_("以代表团名义提出（议案）"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InviteForm(ActionForm):
    representatives = forms.ModelMultipleChoiceField(
        label=_("邀请附议的代表"),
        queryset=Representative.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("只能邀请本届同级人大的在任代表，可按住 Ctrl 多选。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["representatives"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = cosigner_candidates(self.suggestion)


class CosignForm(ActionForm):
    answer = forms.ChoiceField(choices=[("confirm", _("确认附议")), ("decline", _("谢绝"))])


class UninviteForm(ActionForm):
    signer = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(VersionForm):
    reason = _text(_("理由"), rows=3)


class OptionalNoteForm(VersionForm):
    note = _text(_("说明"), rows=2, required=False, max_length=4000)


class PreReturnForm(VersionForm):
    comment = _text(_("修改意见"), rows=3)


class ReviewForm(VersionForm):
    DECISIONS = [
        ("register", _("立案")),
        ("convert_to_suggestion", _("议案转为建议立案")),
        ("merge", _("并案处理")),
        ("convert_to_letter", _("转为来信处理")),
        ("refuse", _("不予立案")),
    ]
    decision = forms.ChoiceField(label=_("审查结果"), choices=DECISIONS, widget=forms.RadioSelect)
    merge_number = forms.IntegerField(
        label=_("并入建议的编号"), required=False, min_value=1, help_text=_("并案时填写")
    )
    note = _text(_("审查意见"), rows=3, required=False, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.suggestion.is_motion:
            field = self.fields["decision"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                (value, label)
                for value, label in ReviewForm.DECISIONS
                if value != "convert_to_suggestion"
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("merge_number")
        session = self.suggestion.session
        found = Suggestion.objects.filter(session=session, number=number).first()
        data["merge_into"] = found if number else None
        return data


# The department fields of 交办 offer the departments this congress may hand to, and take
# any department's id: the service answers one outside the user's scope with a 404 and one
# this congress may not hand to with a message (docs/security.md).
_ANY_DEPARTMENT = Department.objects.select_related("region")


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region}）"

    def to_python(self, value: Any) -> Department | None:
        if value in self.empty_values:
            return None
        found = _departments([value])
        if not found:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found[0]


class DepartmentsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region}）"

    def clean(self, value: Any) -> QuerySet[Department]:
        values = [] if value in self.empty_values else value
        if not isinstance(values, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        found = _departments(values)
        if len(found) != len({str(v) for v in values}):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": ", ".join(map(str, values))},
            )
        return found


def _departments(values: list[Any] | tuple[Any, ...]) -> QuerySet[Department]:
    """The departments with these ids (as typed), whichever they are."""
    ids = {str(value) for value in values}
    if not all(value.isdigit() for value in ids):
        return _ANY_DEPARTMENT.none()
    return _ANY_DEPARTMENT.filter(pk__in=ids)


class AssignForm(VersionForm):
    lead_department = DepartmentChoiceField(
        label=_("主办单位"), queryset=Department.objects.none(), empty_label=_("请选择主办单位")
    )
    co_handlers = DepartmentsChoiceField(
        label=_("协办（会办）单位"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = _text(_("交办意见"), rows=2, required=False, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = assignable_departments(self.suggestion)
        for name in ("lead_department", "co_handlers"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = departments


class ReassignForm(ActionForm):
    department = DepartmentChoiceField(
        label=_("新的主办单位"), queryset=Department.objects.none(), empty_label=_("请选择")
    )
    note = _text(_("说明"), rows=2, required=False, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignable_departments(self.suggestion)


class YesNoField(forms.TypedChoiceField):
    """同意 / 不同意: "1" or "0" from a page, true or false from an API client."""

    def __init__(self, **kwargs: Any) -> None:
        choices = [("1", _("同意")), ("0", _("不同意"))]
        super().__init__(choices=choices, coerce=lambda value: value == "1", **kwargs)

    def to_python(self, value: Any) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        return str(super().to_python(value))


class DecisionForm(ActionForm):
    approve = YesNoField(label=_("决定"))
    until = forms.DateField(
        label=_("延期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = _text(_("说明"), rows=2, required=False, max_length=4000)


class ExtensionForm(VersionForm):
    until = forms.DateField(label=_("申请延期至"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = _text(_("延期理由"), rows=3)


class ReplyForm(VersionForm):
    """The lead department's answer: it moves the suggestion, so it carries the
    suggestion's version, not the assignment's."""

    category = forms.ChoiceField(
        label=_("答复类别"), choices=ReplyCategory.choices, widget=forms.RadioSelect
    )
    text = _text(_("答复内容"), rows=8)
    signing_official = forms.CharField(label=_("签发人"), max_length=50)
    attachments = AttachmentsField()

    def shown_version(self) -> int:
        return self.suggestion.version


class OpinionForm(VersionForm):
    text = _text(_("协办意见"), rows=5)
    attachments = AttachmentsField()


class ProgressForm(ActionForm):
    note = _text(_("办理进展"), rows=3, max_length=4000)


class ContactForm(ActionForm):
    department = forms.ModelChoiceField(label=_("承办单位"), queryset=Department.objects.none())
    stage = forms.ChoiceField(label=_("阶段"), choices=HandlingStage.choices)
    method = forms.ChoiceField(label=_("方式"), choices=HandlingMethod.choices)
    contacted_on = forms.DateField(
        label=_("日期"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = _text(_("沟通情况"), rows=3, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = self.speaks_for()
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        if len(departments) == 1:
            field.initial = departments[0].pk

    def speaks_for(self) -> QuerySet[Department]:
        """The departments on this suggestion the viewer records a contact for: a clerk's
        own; staff any of them."""
        viewer = self.viewer
        ids = {a.department_id for a in viewer.abilities.my_assignments}
        if viewer.abilities.is_staff:
            ids |= {a.department_id for a in viewer.assignments}
        return Department.objects.filter(pk__in=[i for i in ids if i])


class RatingForm(ActionForm):
    attitude = forms.ChoiceField(
        label=_("办理态度"), choices=SuggestionSatisfaction.choices, widget=forms.RadioSelect
    )
    result = forms.ChoiceField(
        label=_("办理结果"), choices=SuggestionSatisfaction.choices, widget=forms.RadioSelect
    )
    comment = _text(_("意见"), rows=3, required=False, max_length=4000)


class PaperRatingForm(RatingForm):
    """A paper form (纸质征询意见表) entered by staff for one signer."""

    representative = forms.ModelChoiceField(label=_("代表"), queryset=Representative.objects.none())

    field_order = ["representative", "attitude", "result", "comment"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["representative"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = self.not_yet_rated()

    def not_yet_rated(self) -> QuerySet[Representative]:
        """The confirmed signers who have not rated the latest reply."""
        reply = latest_main_reply(self.suggestion)
        rated = reply.ratings.values("representative_id") if reply else []
        return Representative.objects.filter(
            signed_suggestions__suggestion=self.suggestion,
            signed_suggestions__status=SignerStatus.CONFIRMED,
        ).exclude(pk__in=rated)


class KeyForm(ActionForm):
    is_key = forms.BooleanField(label=_("列为重点督办建议"), required=False)
    leading_official = forms.CharField(label=_("领衔办理领导"), max_length=100, required=False)
    supervisor = forms.CharField(label=_("牵头督办领导"), max_length=100, required=False)
    committee = forms.CharField(label=_("督办工委"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        s = self.suggestion
        self.initial.setdefault("is_key", True)  # opened to mark (or to edit a marked one)
        self.initial.setdefault("leading_official", s.key_leading_official)
        self.initial.setdefault("supervisor", s.key_supervisor)
        self.initial.setdefault("committee", s.key_committee)


class PublishForm(ActionForm):
    consent = forms.BooleanField(label=_("同意在公开页面公布办理答复"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("consent", not self.suggestion.publish_consent)  # the toggle


class GroupEvaluationForm(ActionForm):
    group = forms.ModelChoiceField(label=_("代表小组"), queryset=RepresentativeGroup.objects.none())
    held_on = forms.DateField(
        label=_("评议日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    participants = forms.IntegerField(label=_("参加人数"), min_value=1, max_value=1000)
    result = forms.ChoiceField(
        label=_("评议结果"), choices=SuggestionSatisfaction.choices, widget=forms.RadioSelect
    )
    comment = _text(_("评议意见"), rows=3, required=False, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = RepresentativeGroup.objects.filter(
            region__path__startswith=self.suggestion.congress.region.path
        )


def first_error(form: forms.Form) -> str:
    """The first message of an invalid form, for a one-line flash message."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else str(errors[0])
    return str(_("提交的内容有误，请检查后重试。"))
