"""A congress's own 履职积分 values (docs/rules.md, 'Point rules'): beside its other
rules, the same readers and writers. Staff read the values of the congresses of their
region and below; administrators change them; a congress outside the scope is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congress.errors import RuleViolation
from congress.rules_views import ValuesPage, values_page
from representatives.point_rules import (
    MAX_POINTS,
    MIN_POINTS,
    PointRuleState,
    clean_points,
    point_rule_history,
    point_rule_states,
    point_rules_save,
)


class PointRulesForm(forms.Form):
    """One field per active code; blank follows the congress above. What was typed is
    kept on a refusal (a bound form re-renders its data)."""

    def __init__(self, states: list[PointRuleState], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.states = states
        for state in states:
            self.fields[state.rule.code] = forms.CharField(
                label=state.rule.label,
                required=False,
                initial="" if state.own is None else str(state.own),
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values: dict[str, int | None] = {}
        for state in self.states:
            code = state.rule.code
            raw = (data.get(code) or "").strip()
            if not raw:
                values[code] = None
                continue
            try:
                values[code] = clean_points(state.rule.label, raw)
            except RuleViolation as error:
                self.add_error(code, str(error.message))
        data["values"] = values
        return data

    def rows(self) -> list[tuple[PointRuleState, forms.BoundField]]:
        return [(state, self[state.rule.code]) for state in self.states]


@login_required
@require_http_methods(["GET", "POST"])
def congress_point_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """A congress's point values; administrators save them (403 for staff who may only
    read them), as its other rules (``congress.rules_views.values_page``)."""
    page = ValuesPage(
        states=point_rule_states,
        form=PointRulesForm,
        save=point_rules_save,
        history=point_rule_history,
        saved=_("已保存%(n)s项积分分值，本年度的积分按新分值计算，往年的积分不变。"),
        unchanged=_("积分分值没有变化。"),
        url_name="congress_point_rules",
        template="representatives/point_rules.html",
    )
    return values_page(request, pk, page, minimum=MIN_POINTS, maximum=MAX_POINTS)
