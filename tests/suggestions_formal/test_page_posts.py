"""A formal suggestion's own form (new, edit a draft), answered the one way
(docs/architecture.md, "A page's POST"): bad input is a 400 with the field's error
beside it, a refusal comes back beside the form with its status and what was typed,
and nothing is saved on either."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from suggestions.formal import services
from suggestions.models.formal import Suggestion
from tests.conftest import login
from tests.suggestions_formal.conftest import Cast, draft

pytestmark = pytest.mark.django_db


def _edit(suggestion: Suggestion, **fields: Any) -> dict[str, Any]:
    return {
        "kind": "suggestion",
        "title": suggestion.title,
        "category": "transport",
        "content": "上下学高峰拥堵。",
        "research_basis": "",
        "version": suggestion.version,
        **fields,
    }


def test_a_new_suggestion_without_a_title_is_a_400_and_files_nothing(cast: Cast) -> None:
    client = login(Client(), cast.lead_user)
    answer = client.post(
        "/suggestions/new/",
        {
            "kind": "suggestion",
            "session": cast.session.pk,
            "category": "transport",
            "content": "上下学高峰拥堵。",
        },
    )
    assert answer.status_code == 400
    assert answer.context["form"].errors["title"]
    assert "上下学高峰拥堵。" in answer.content.decode()
    assert not Suggestion.objects.exists()


def test_an_edit_from_a_stale_page_comes_back_with_the_reason_and_the_text(cast: Cast) -> None:
    suggestion = draft(cast)
    client = login(Client(), cast.lead_user)
    stale = _edit(suggestion, title="第二次修改")
    services.suggestion_update(suggestion=suggestion, by=cast.lead_user, title="第一次修改")
    answer = client.post(f"/suggestions/{suggestion.pk}/edit/", stale)
    assert answer.status_code == 409
    (reason,) = answer.context["form"].non_field_errors()
    text = answer.content.decode()
    assert reason in text and "第二次修改" in text  # beside what was typed
    assert Suggestion.objects.get(pk=suggestion.pk).title == "第一次修改"


def test_an_edit_is_saved_and_said(cast: Cast) -> None:
    suggestion = draft(cast)
    client = login(Client(), cast.lead_user)
    answer = client.post(
        f"/suggestions/{suggestion.pk}/edit/", _edit(suggestion, title="新标题"), follow=True
    )
    assert answer.redirect_chain == [(f"/suggestions/{suggestion.pk}/", 302)]
    assert [str(m) for m in answer.context["messages"]] == ["已保存修改。"]
    assert Suggestion.objects.get(pk=suggestion.pk).title == "新标题"
