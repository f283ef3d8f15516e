"""Input shape of the vote's pages: creating a vote, adding a candidate, filling a ballot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Department, Session
from livelihood_votes.models import BallotForm, Candidate, LivelihoodVote, Mark
from representatives.models import Representative, VoterDelegate


class VoteForm(forms.Form):
    congress = forms.ModelChoiceField(label=_("人大"), queryset=Congress.objects.none())
    session = forms.ModelChoiceField(
        label=_("会议"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_("在人民代表大会会议期间票决的，选择该次会议"),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200)
    seats = forms.IntegerField(label=_("应选项目数"), min_value=1, max_value=500)
    ballot_form = forms.ChoiceField(
        label=_("选票形式"), choices=BallotForm.choices, initial=BallotForm.UP_TO_N
    )

    def __init__(self, *args: Any, congresses: QuerySet[Congress], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses  # type: ignore[attr-defined]
        self.fields["session"].queryset = Session.objects.filter(  # type: ignore[attr-defined]
            term__congress__in=congresses, kind="plenary"
        ).select_related("term__congress")
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        session, congress = data.get("session"), data.get("congress")
        if session is not None and congress is not None and session.term.congress_id != congress.pk:
            self.add_error("session", _("所选会议不是该人大的会议。"))
        return data


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["title", "summary", "department", "budget", "deadline"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["title"].widget.attrs["data-testid"] = "candidate-title"


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)


class ReceiptSearchForm(forms.Form):
    receipt = forms.CharField(label=_("回执码"), max_length=40, required=False)


class BallotPaperForm(forms.Form):
    """The ballot as the representative fills it in: ticks (select forms) or one
    approve/oppose/abstain per project. No mark is required here: ``ballot_cast`` checks
    the count and says in plain words what is missing (one sentence, not one "required"
    per project); the page's script only shows that sentence earlier."""

    def __init__(
        self, *args: Any, vote: LivelihoodVote, candidates: list[Candidate], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.candidates = candidates
        if vote.ballot_form == BallotForm.PER_CANDIDATE:
            for candidate in candidates:
                self.fields[f"c{candidate.pk}"] = forms.ChoiceField(
                    label=candidate.title,
                    choices=Mark.choices,
                    widget=forms.RadioSelect,
                    required=False,
                )
        else:
            self.fields["selected"] = forms.TypedMultipleChoiceField(
                label=_("赞成的项目"),
                choices=[(c.pk, c.title) for c in candidates],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def choices(self) -> dict[int, str]:
        """The marks for ``ballot_cast``: candidate id → approve/oppose/abstain."""
        if self.vote.ballot_form == BallotForm.PER_CANDIDATE:
            return {
                c.pk: self.cleaned_data[f"c{c.pk}"]
                for c in self.candidates
                if self.cleaned_data.get(f"c{c.pk}")
            }
        return dict.fromkeys(self.cleaned_data["selected"], Mark.APPROVE)


class PaperSheetForm(BallotPaperForm):
    """A paper sheet as one staff member reads it: its number (written on it by the
    counting desk) and its marks. Nothing is required of the marks: a paper ballot is
    entered as it was marked, a blank project on an approve-oppose-abstain sheet counts as
    弃权 and a sheet with too many ticks is counted void."""

    sheet = forms.IntegerField(label=_("选票编号"), min_value=1, max_value=100000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "sheet":
                field.required = False
        self.fields["sheet"].widget.attrs.update(
            {"class": "form-control form-control-lg", "inputmode": "numeric", "autofocus": True}
        )


class SignInForm(forms.Form):
    """签到领票: the representative (a subdistrict's vote: the voter delegate), one of the
    vote's electorate."""

    representative = forms.ModelChoiceField(
        label=_("代表"),
        queryset=Representative.objects.none(),
        error_messages={"invalid_choice": _("该代表不是本级人大的在任代表。")},
    )

    def __init__(
        self,
        *args: Any,
        electorate: QuerySet[Representative] | QuerySet[VoterDelegate],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["representative"]
        field.queryset = electorate  # type: ignore[attr-defined]
        if electorate.model is VoterDelegate:
            # A subdistrict's vote: its 议政会's voter delegates sign in.
            field.label = _("议政代表")
            field.error_messages["invalid_choice"] = _(
                "该议政代表不在本次票决开始时的议政代表名单中。"
            )


class ElectorateSearchForm(forms.Form):
    q = forms.CharField(label=_("代表姓名"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"autofocus": True, "type": "search"})
