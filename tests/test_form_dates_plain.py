"""Every date and date-time field of every form in the product, model form or not (a
suggestion's 记录与代表的沟通, a group's 评议日期, an extension's 延期至), shows its value
as the browser's picker reads it, ISO, in Chinese as in English: given 2026/12/03
the picker shows an empty box and the value is lost (issue 11). The model forms'
round trip is tests/test_form_roundtrip.py; this reads each field as it is rendered."""

from __future__ import annotations

import copy
import datetime
import re
from typing import Any

import pytest
from django import forms
from django.utils import translation

from tests.test_form_roundtrip import LANGUAGES, PROJECT_PACKAGES, project_model_forms

DAY = datetime.date(2026, 12, 3)
MOMENT = datetime.datetime(2026, 12, 3, 9, 30)


def project_temporal_fields() -> list[tuple[str, str, forms.Field]]:
    project_model_forms()  # imports every module of the product that may define a form
    found: dict[tuple[str, str], forms.Field] = {}
    pending: list[type[forms.BaseForm]] = list(forms.BaseForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        if not form_class.__module__.startswith(PROJECT_PACKAGES):
            continue
        for name, field in getattr(form_class, "base_fields", {}).items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                found[(f"{form_class.__module__}.{form_class.__qualname__}", name)] = field
    return [(form, name, field) for (form, name), field in sorted(found.items())]


FIELDS = project_temporal_fields()


def test_the_product_has_plain_forms_with_dates() -> None:
    names = {(form.rsplit(".", 1)[-1], name) for form, name, _field in FIELDS}
    # Known when this test was written (plain forms); more may come, none may vanish.
    assert {("ContactForm", "contacted_on"), ("GroupEvaluationForm", "held_on")} <= names


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("form_name", "name", "field"), FIELDS, ids=[f"{f}.{n}" for f, n, _x in FIELDS]
)
def test_a_date_shows_as_iso(form_name: str, name: str, field: forms.Field, language: str) -> None:
    """The field alone in a form of its own, with a value: rendered as the product
    renders every form (settings.FORM_RENDERER)."""
    value: Any = MOMENT if isinstance(field, forms.DateTimeField) else DAY
    single = type("Single", (forms.Form,), {name: copy.deepcopy(field)})
    with translation.override(language):
        html = str(single(initial={name: value})[name])
    if 'type="hidden"' in html:
        return
    shown = re.search(r'value="([^"]*)"', html)
    expected = "2026-12-03T09:30" if isinstance(field, forms.DateTimeField) else "2026-12-03"
    if isinstance(field, forms.SplitDateTimeField):
        assert 'value="2026-12-03"' in html and 'value="09:30"' in html, html
        return
    assert shown is not None and shown.group(1) == expected, (form_name, html)
