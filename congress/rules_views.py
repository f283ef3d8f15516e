"""The rules per congress (docs/rules.md): the congresses a user may read, and one
congress's rules with their default, inherited value, legal source and range.
Administrators change them; staff read those of their region and below; a congress
outside the scope is a 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from congress.errors import RuleViolation
from congress.form_steps import submit
from congress.models import Congress
from congress.rules import (
    RuleState,
    can_edit_rules,
    clean_rule_value,
    congress_rules_save,
    rule_history,
    rule_states,
    visible_congresses,
)
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin

FOLLOW = ""  # a blank answer: follow the congress above


class CongressRulesForm(forms.Form):
    """One field per registered rule; blank follows the congress above. What was typed
    is kept on a refusal (a bound form re-renders its data)."""

    def __init__(self, states: list[RuleState], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.states = states
        for state in states:
            rule = state.rule
            field: forms.Field
            if rule.kind == "bool":
                field = forms.ChoiceField(
                    choices=[(FOLLOW, gettext_lazy("沿用上级")), ("1", _("是")), ("0", _("否"))],
                    required=False,
                )
                initial = FOLLOW if state.own is None else ("1" if state.own else "0")
            elif rule.kind == "choice":
                field = forms.ChoiceField(
                    choices=[(FOLLOW, gettext_lazy("沿用上级")), *rule.choices], required=False
                )
                initial = FOLLOW if state.own is None else state.own
            elif rule.kind == "words":
                field = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
                initial = FOLLOW if state.own is None else "\n".join(state.own)
            else:
                field = forms.CharField(
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                )
                initial = FOLLOW if state.own is None else str(state.own)
            field.label = str(rule.label)
            field.initial = initial
            self.fields[rule.key] = field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values: dict[str, Any] = {}
        for state in self.states:
            key = state.rule.key
            raw = data.get(key, FOLLOW)
            if raw in (FOLLOW, None) or (isinstance(raw, str) and not raw.strip()):
                values[key] = None
                continue
            if state.rule.kind == "bool":
                raw = raw == "1"
            try:
                values[key] = clean_rule_value(state.rule, raw)
            except RuleViolation as error:
                self.add_error(key, str(error.message))
        data["values"] = values
        return data

    def rows(self) -> list[tuple[RuleState, forms.BoundField]]:
        return [(state, self[state.rule.key]) for state in self.states]


@login_required
def congress_rules_list(request: HttpRequest) -> HttpResponse:
    """The congresses in the user's scope, each with how many rules it sets itself."""
    if not is_staff_or_admin(request.user):
        raise Http404
    congresses = visible_congresses(request.user).annotate(own=Count("rule_values"))
    query = request.GET.get("q", "").strip()
    if query:
        congresses = congresses.filter(name__icontains=query)
    page = Paginator(congresses.order_by("region__path"), 50).get_page(request.GET.get("page"))
    return render(request, "congress/rules/list.html", {"page": page, "q": query})


@dataclass(frozen=True)
class ValuesPage:
    """A page of one congress's own values of a kind of rule (its rules, its point
    values): who reads and who saves them, and how a save answers, are the same."""

    states: Callable[[Congress], list[Any]]
    form: Callable[..., forms.Form]
    save: Callable[..., list[str]]
    history: Callable[[Congress], Any]
    saved: str  # with %(n)s, the number of values changed
    unchanged: str
    url_name: str
    template: str


def values_page(request: HttpRequest, pk: int, page: ValuesPage, **context: Any) -> HttpResponse:
    """A congress in the user's scope (404 otherwise): staff read its values,
    administrators save them (403 for anyone else's POST), each change through the
    page's service with its audit row; what was typed stays beside a refusal."""
    congress: Congress = get_visible_or_404(visible_congresses(request.user), pk=pk)
    editable = can_edit_rules(request.user)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = page.form(page.states(congress), request.POST if request.method == "POST" else None)
    sent = submit(
        request,
        form,
        lambda data: page.save(congress=congress, values=data["values"], by=acting_user(request)),
    )
    if sent.done:
        if sent.result:
            messages.success(request, page.saved % {"n": len(sent.result)})
        else:
            messages.info(request, page.unchanged)
        return redirect(page.url_name, pk=congress.pk)
    context |= {
        "congress": congress,
        "form": form,
        "editable": editable,
        "history": page.history(congress),
    }
    return render(request, page.template, context, status=sent.status)


@login_required
@require_http_methods(["GET", "POST"])
def congress_rules_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A congress's rules; administrators save them (403 for staff who may only read)."""
    page = ValuesPage(
        states=rule_states,
        form=CongressRulesForm,
        save=congress_rules_save,
        history=rule_history,
        saved=_("已保存%(n)s项规则，自此以后新立的事项按新规则办理。"),
        unchanged=_("规则没有变化。"),
        url_name="congress_rules_detail",
        template="congress/rules/detail.html",
    )
    return values_page(request, pk, page)
