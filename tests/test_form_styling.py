"""Every form of the product meets the browser with Bootstrap's classes, from one place.

No form declares them: the product's form renderer (congress/forms.py) gives each
widget the class its kind needs when it is drawn, so a template writes ``{{ field }}``
and a form in any app, a list's filter form or Django's own password form looks the
same. The expected classes are Bootstrap 5's: ``form-control`` for text, numbers,
dates, text areas and files; ``form-select`` for a drop-down; ``form-check-input``
for a check box and for each radio or check box of a choice list; ``is-invalid`` on a
field with an error.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from congress.models import User
from livelihood_votes.forms import CancelForm, ReceiptSearchForm
from representatives.forms import ExportForm, MandateEndForm, PublishForm
from suggestions.citizen.filters import CitizenIssueFilter
from suggestions.citizen.forms import LookupForm
from suggestions.formal.forms import SuggestionEditForm


class _Classes(HTMLParser):
    """The class attribute of each input, select and text area, by its name (or id)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []  # (tag, name or id, classes)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("input", "select", "textarea", "div"):
            key = values.get("name") or values.get("id") or ""
            self.found.append((tag, key, values.get("class") or ""))


def classes_of(html: str) -> list[tuple[str, str, str]]:
    parser = _Classes()
    parser.feed(html)
    return parser.found


def field_classes(form: forms.BaseForm, name: str) -> str:
    """The classes of the one input, select or text area a field draws."""
    drawn = [c for tag, key, c in classes_of(str(form[name])) if tag != "div" and key == name]
    assert len(drawn) == 1, drawn
    return drawn[0]


class Sample(forms.Form):
    """One field of every kind a page uses."""

    title = forms.CharField(label="标题")
    summary = forms.CharField(label="摘要", widget=forms.Textarea)
    amount = forms.IntegerField(label="金额")
    day = forms.DateField(label="日期")
    photo = forms.FileField(label="照片", required=False)
    kind = forms.ChoiceField(label="类型", choices=[("a", "甲"), ("b", "乙")])
    agree = forms.BooleanField(label="同意")
    rating = forms.ChoiceField(
        label="评价", choices=[("good", "满意"), ("bad", "不满意")], widget=forms.RadioSelect
    )
    days = forms.MultipleChoiceField(
        label="星期", choices=[("1", "一"), ("2", "二")], widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sheet = forms.IntegerField(
        label="编号", widget=forms.NumberInput(attrs={"class": "form-control form-control-lg"})
    )
    mark = forms.ChoiceField(
        label="标记",
        choices=[("y", "赞成")],
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        required=False,
    )


def test_each_kind_of_widget_gets_its_bootstrap_class() -> None:
    form = Sample()
    expected = {
        "title": "form-control",
        "summary": "form-control",
        "amount": "form-control",
        "day": "form-control",
        "photo": "form-control",
        "kind": "form-select",
        "agree": "form-check-input",
        "version": "",
    }
    assert {name: field_classes(form, name) for name in expected} == expected


def test_each_choice_of_a_list_is_a_check_and_the_list_itself_is_not() -> None:
    form = Sample()
    for name, count in (("rating", 2), ("days", 2)):
        options = [choice.tag() for choice in form[name]]
        assert [classes_of(tag)[0][2] for tag in options] == ["form-check-input"] * count
        # Drawn whole, its wrapper carries no check's class (a check's box on a <div>).
        wrapper = classes_of(str(form[name]))[0]
        assert wrapper[0] == "div" and wrapper[2] == ""


def test_a_widget_that_names_its_own_bootstrap_class_keeps_it() -> None:
    form = Sample()
    assert field_classes(form, "sheet") == "form-control form-control-lg"
    assert [classes_of(choice.tag())[0][2] for choice in form["mark"]] == ["btn-check"]


def test_a_field_with_an_error_is_marked_invalid_and_the_others_are_not() -> None:
    form = Sample(data={"title": "", "summary": "路面破损", "amount": "很多", "kind": "a"})
    assert not form.is_valid()
    assert field_classes(form, "title") == "form-control is-invalid"
    assert field_classes(form, "amount") == "form-control is-invalid"
    assert field_classes(form, "summary") == "form-control"
    assert field_classes(form, "kind") == "form-select"


def test_drawing_a_form_twice_adds_nothing_twice() -> None:
    form = Sample()
    str(form["title"])
    assert field_classes(form, "title") == "form-control"
    assert form.fields["title"].widget.attrs.get("class") is None


def test_the_apps_forms_are_styled_without_declaring_anything() -> None:
    """A form from each app, as its page draws it."""
    assert field_classes(LookupForm(), "tracking_code") == "form-control"
    edit = SuggestionEditForm()
    assert [field_classes(edit, name) for name in ("kind", "title", "content")] == [
        "form-select",
        "form-control",
        "form-control",
    ]
    assert field_classes(edit, "by_delegation") == "form-check-input"
    assert field_classes(edit, "version") == ""
    assert field_classes(CancelForm(), "reason") == "form-control"
    assert field_classes(ReceiptSearchForm(), "receipt") == "form-control"
    assert field_classes(MandateEndForm(), "ends_on") == "form-control"
    assert field_classes(MandateEndForm(), "terminate") == "form-check-input"
    assert field_classes(ExportForm(), "full_id_numbers") == "form-check-input"
    assert field_classes(PublishForm(), "until") == "form-control"


@pytest.mark.django_db
def test_a_lists_filter_form_is_styled(district_staff: User) -> None:
    form = CitizenIssueFilter(data={}, user=district_staff).form
    assert field_classes(form, "status") == "form-select"
    assert field_classes(form, "created_after") == "form-control"


@pytest.mark.django_db
def test_djangos_own_password_form_is_styled(district_staff: User) -> None:
    form = PasswordChangeForm(district_staff)
    for name in ("old_password", "new_password1", "new_password2"):
        assert field_classes(form, name) == "form-control"
