"""The rating's forms: the voter's ballot (one level per project), the paper sheet as a
teller reads it, and the hall's sign-in. Input shape only: who may is the services'."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models.ballots import Rating
from livelihood_votes.models import Project


def mark_field(name: str) -> str:
    return f"p{name}"


class RatingBallotForm(forms.Form):
    """满意 / 基本满意 / 不满意 for each project of the ballot, in ballot order. A project
    left unmarked is the core's to judge (refused online unless the whole ballot is
    blank, 'no mark' on paper)."""

    def __init__(self, *args: Any, projects: Sequence[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.projects = list(projects)
        for project in self.projects:
            self.fields[mark_field(str(project.pk))] = forms.ChoiceField(
                label=project.title,
                choices=Rating.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[int, str]:
        return {
            project.pk: self.cleaned_data[mark_field(str(project.pk))]
            for project in self.projects
            if self.cleaned_data.get(mark_field(str(project.pk)))
        }

    def rows(self) -> list[tuple[Project, Any]]:
        return [(project, self[mark_field(str(project.pk))]) for project in self.projects]


class PaperSheetForm(RatingBallotForm):
    """双人录入: a sheet's number and its marks as read (an unmarked project stays empty)."""

    sheet = forms.IntegerField(label=_("测评表编号"), min_value=1)

    def __init__(self, *args: Any, projects: Sequence[Project], **kwargs: Any) -> None:
        super().__init__(*args, projects=projects, **kwargs)
        self.order_fields(["sheet"])


class SignInForm(forms.Form):
    """签到领票: the voter handed a paper sheet (the frozen electorate, by name)."""

    voter = forms.TypedChoiceField(label=_("测评人"), coerce=int)

    def __init__(self, *args: Any, electorate: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["voter"].choices = [("", "—"), *electorate]  # type: ignore[attr-defined]
