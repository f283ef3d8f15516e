"""congress/form_steps.py: a page's form handed to its service (docs/architecture.md,
"A page's POST"). The service here is a plain function; the pages that use the helpers
are tested with their real services in each app's page tests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage import default_storage
from django.test import RequestFactory

from congress.errors import RuleViolation
from congress.form_steps import post_step, submit


class NameForm(forms.Form):
    name = forms.CharField(label="名称")


def _request(method: str, data: dict[str, str] | None = None) -> Any:
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request.session = {}
    request._messages = default_storage(request)
    return request


def _texts(request: Any) -> list[str]:
    return [str(message) for message in get_messages(request)]


def test_a_page_shown_before_any_post_runs_nothing() -> None:
    calls: list[Any] = []
    sent = submit(_request("GET"), NameForm(None), calls.append)
    assert (sent.done, sent.status, calls) == (False, 200, [])


def test_an_invalid_form_is_a_400_and_the_service_never_runs() -> None:
    calls: list[Any] = []
    form = NameForm({"name": ""})
    sent = submit(_request("POST"), form, calls.append)
    assert (sent.done, sent.status, calls) == (False, 400, [])
    assert form.errors["name"]


def test_a_refusal_is_put_on_the_form_with_its_status_and_the_input_kept() -> None:
    def refuse(data: Any) -> None:
        raise RuleViolation("不能重名。")

    form = NameForm({"name": "财经委"})
    sent = submit(_request("POST"), form, refuse)
    assert (sent.done, sent.status) == (False, 400)
    assert form.non_field_errors() == ["不能重名。"]
    assert form.data["name"] == "财经委"


def test_a_valid_form_runs_the_service_with_the_cleaned_data_and_keeps_its_result() -> None:
    sent = submit(_request("POST"), NameForm({"name": " 财经委 "}), lambda data: data["name"])
    assert (sent.done, sent.result) == (True, "财经委")


def test_a_small_form_with_bad_input_says_which_field_and_runs_nothing() -> None:
    request, calls = _request("POST"), []
    assert not post_step(request, NameForm({"name": ""}), calls.append, "已添加。")
    assert calls == []
    assert _texts(request) == ["请填写“名称”。"]  # the stock message names the field


def test_a_small_form_refused_by_its_service_shows_the_refusal_not_done() -> None:
    def refuse(data: Any) -> None:
        raise RuleViolation("计划已通过，不能再改。")

    request = _request("POST")
    assert not post_step(request, NameForm({"name": "x"}), refuse, "已添加。")
    assert _texts(request) == ["计划已通过，不能再改。"]


def test_a_small_form_taken_says_done() -> None:
    request, calls = _request("POST"), []
    assert post_step(request, NameForm({"name": "x"}), calls.append, "已添加。")
    assert calls == [{"name": "x"}]
    assert _texts(request) == ["已添加。"]


class CountForm(forms.Form):
    count = forms.IntegerField(label="人数", max_value=10)


def test_a_message_that_does_not_name_its_field_is_prefixed_with_the_label() -> None:
    request = _request("POST")
    assert not post_step(request, CountForm({"count": "11"}), lambda data: None, "已添加。")
    [text] = _texts(request)
    assert text.startswith("人数：")


def test_a_refusal_about_one_input_is_shown_on_that_input() -> None:
    def refuse(data: Any) -> None:
        raise RuleViolation("第3行缺少名称。")

    form = NameForm({"name": "x"})
    sent = submit(_request("POST"), form, refuse, field="name")
    assert sent.status == 400
    assert form.errors["name"] == ["第3行缺少名称。"]


def test_a_small_forms_message_may_tell_what_the_service_made() -> None:
    request = _request("POST")
    assert post_step(
        request, NameForm({"name": "liu"}), lambda data: data["name"] + "-1", lambda made: made
    )
    assert _texts(request) == ["liu-1"]
