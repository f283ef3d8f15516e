"""The API's one route for taking a step on an object, and the form plumbing every
write shares (docs/architecture.md, "Each action written once").

An object whose steps are declared in an action table answers
``POST <object>/<pk>/actions/<name>/`` with the step's form fields. The viewset mixes
in ``ActionRoute`` and says only how its table takes a step (``take_action``); the
route loads the object through the viewset's scoped queryset (404 outside the
jurisdiction, whatever the name), and answers with the object as the viewset shows it.
Each viewset documents its route with ``extend_schema_view(act=action_schema(...))``.

``form_data`` and ``valid`` are how an API write feeds the page's form: the same form,
so the same validation and the same messages on the page and in the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congress.scoping import get_visible_or_404


def request_fields(request: Request) -> Mapping[str, Any]:
    """The request's fields: a form post or a JSON object; anything else is a 400."""
    if not isinstance(request.data, Mapping):
        raise serializers.ValidationError(_("请求内容应为对象（字段名：值）。"))
    return request.data


def form_data(request: Request) -> Any:
    """The request's fields as a Django form reads them: a form post as it is, a JSON
    object with its lists kept as lists (a multiple choice), anything else a 400."""
    data = request_fields(request)
    if hasattr(data, "getlist"):
        return data
    return MultiValueDict(
        {key: value if isinstance(value, list) else [value] for key, value in data.items()}
    )


def form_errors(form: forms.BaseForm) -> serializers.ValidationError:
    """A 400 naming each field's problem with the form's own (translated) messages."""
    return serializers.ValidationError(
        {field: [str(message) for message in messages] for field, messages in form.errors.items()}
    )


def valid(form: forms.BaseForm) -> dict[str, Any]:
    """The form's cleaned data, or a 400 naming each field's problem (nothing changed)."""
    if not form.is_valid():
        raise form_errors(form)
    return form.cleaned_data


def action_name_parameter(names: Iterable[str]) -> OpenApiParameter:
    """The route's ``action_name``, with the table's names as its schema's enum."""
    return OpenApiParameter(
        "action_name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(names)
    )


def action_schema(
    names: Iterable[str], *, request: Any, responses: Any, description: str = ""
) -> Any:
    """The schema of one viewset's action route (for ``extend_schema_view(act=...)``)."""
    return extend_schema(
        parameters=[action_name_parameter(names)],
        request=request,
        responses=responses,
        description=description,
    )


class ActionRoute:
    """``POST <pk>/actions/<name>/`` on a viewset: the step named, from the table.

    A viewset says how to take a step (``take_action``) and, when its answer is not its
    own serializer of the object, how to answer (``action_answer``)."""

    def take_action(self, obj: Any, name: str, request: Request) -> None:
        """Take the step ``name`` on ``obj`` through the table (its service checks the
        jurisdiction again); an unknown name is 400, a step not open now 409."""
        raise NotImplementedError

    def action_object(self, pk: str) -> Any:
        """The object, through the viewset's scoped queryset: 404 outside the scope."""
        return get_visible_or_404(self.get_queryset(), pk=pk)  # type: ignore[attr-defined]

    def action_answer(self, obj: Any, request: Request) -> Response:
        """The object after the step, read again as the viewset shows it."""
        fresh = self.action_object(str(obj.pk))
        return Response(self.get_serializer(fresh).data)  # type: ignore[attr-defined]

    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request: Request, pk: str, action_name: str) -> Response:
        obj = self.action_object(pk)
        self.take_action(obj, action_name, request)
        return self.action_answer(obj, request)
