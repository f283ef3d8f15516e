"""A congress's own 履职积分 values (docs/rules.md, 'Point rules'): beside its other
rules, the same readers and writers. Staff read the values of the congresses of their
region and below; administrators change them; a congress outside the scope is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congress.errors import RuleViolation
from congress.form_steps import submit
from congress.models import Congress
from congress.rules import can_edit_rules, visible_congresses
from congress.scoping import acting_user, get_visible_or_404
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
    read them)."""
    congress: Congress = get_visible_or_404(visible_congresses(request.user), pk=pk)
    editable = can_edit_rules(request.user)
    states = point_rule_states(congress)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = PointRulesForm(states, request.POST if request.method == "POST" else None)
    sent = submit(
        request,
        form,
        lambda data: point_rules_save(
            congress=congress, values=data["values"], by=acting_user(request)
        ),
    )
    if sent.done:
        if sent.result:
            messages.success(
                request,
                _("已保存%(n)s项积分分值，本年度的积分按新分值计算，往年的积分不变。")
                % {"n": len(sent.result)},
            )
        else:
            messages.info(request, _("积分分值没有变化。"))
        return redirect("congress_point_rules", pk=congress.pk)
    context = {
        "congress": congress,
        "form": form,
        "editable": editable,
        "history": point_rule_history(congress),
        "minimum": MIN_POINTS,
        "maximum": MAX_POINTS,
    }
    return render(request, "representatives/point_rules.html", context, status=sent.status)
