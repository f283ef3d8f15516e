"""Every model form of the product gives back, unchanged, what it was shown.

A user opens an edit page and presses 保存 without touching anything. For every
ModelForm defined in the project's apps (found by walking the packages, so a new
form is covered without being listed here), district staff 陈静 opens it on a
saved, valid object, in Chinese and in English; the test reads the HTML as a
browser does (the value of every input, the selected options, the checked boxes,
the text areas) and posts it back. The form must be valid and the object must
come out exactly as it went in.

What a browser sends is imitated closely where it matters: a date, date-time or
time input whose value is not the ISO string the browser understands is sent
empty (HTML's value sanitisation: that is how a stored end date was cleared),
and a text area's line breaks are sent as CR LF.

The same forms, sent back empty, name each required field in its message.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.db import models
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from congress.models import Congress, Department, Region, User
from livelihood_votes import services as vote_services
from livelihood_votes.cycles import services as cycle_services
from livelihood_votes.models import Candidate, Cycle, Electorate
from representatives import services as rep_services
from representatives.models import (
    Activity,
    ActivityKind,
    DutyPattern,
    DutyPatternKind,
    Mandate,
    Representative,
    Station,
    StationKind,
    VoterDelegate,
)
from tests.conftest import World
from tests.representatives.factories import id_number, seat

PROJECT_PACKAGES = ("congress", "representatives", "suggestions", "livelihood_votes", "supervision")
# Modules that are not imported to look for forms: they start things rather than define them.
SKIPPED_MODULES = re.compile(r"\.(migrations|management|wsgi|asgi|celery)(\.|$)")
LANGUAGES = ["zh-hans", "en"]

# Model forms that cannot be built here, each with the reason. Keep it short.
NOT_BUILT: dict[str, str] = {}


def project_model_forms() -> list[type[forms.ModelForm[Any]]]:
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if not SKIPPED_MODULES.search(module.name):
                importlib.import_module(module.name)
    found: list[type[forms.ModelForm[Any]]] = []
    pending = list(forms.ModelForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        meta = getattr(form_class, "_meta", None)
        if form_class.__module__.startswith(PROJECT_PACKAGES) and meta and meta.model:
            found.append(form_class)
    return sorted(set(found), key=lambda form_class: form_class.__qualname__)


# --- saved, valid objects, made the way the product makes them -----------------------


@dataclass
class Built:
    instance: models.Model
    # What the page passes to the form besides the instance (matched by parameter name).
    context: dict[str, Any] = field(default_factory=dict)


def _representative(world: World, staff: User) -> Representative:
    return rep_services.representative_create(
        by=staff,
        name="刘红",
        gender="female",
        ethnicity="回族",
        birth_year=1978,
        party="cpc",
        occupation="社区党委书记",
        workplace="桃园社区居委会",
        mobile="13900000001",
        phone_policy="public",
        public_note="每月第一个周六在联络站接待选民",
        region=world.village,
        id_number=id_number(),
    )


def _station(world: World, staff: User, members: list[Representative]) -> Station:
    station = rep_services.station_create(
        by=staff,
        name="新浦街道人大代表联络站",
        kind=StationKind.SPECIALIST_STUDIO,
        specialty="营商环境",
        region=world.town,
        address="新浦路18号",
        latitude=Decimal("34.596312"),
        longitude=Decimal("119.221611"),
        opening_hours="周一至周五 9:00-17:00",
        facilities="接待室\n会议室\n无障碍通道",
        phone="0518-85551234",
        description="街道人大工委所在地。\n每月15日为接待选民日。",
        is_active=True,
    )
    for representative in members:
        rep_services.station_member_add(station=station, representative=representative, by=staff)
    return station


def build_representative(world: World, staff: User) -> Built:
    return Built(_representative(world, staff))


def build_mandate(world: World, staff: User) -> Built:
    representative = _representative(world, staff)
    return Built(seat(representative, world.district), {"representative": representative})


def build_voter_delegate(world: World, staff: User) -> Built:
    delegate = VoterDelegate(
        name="何建平",
        gender="male",
        region=world.town,
        workplace="新浦街道商会",
        mobile="13900000002",
        starts_on=datetime.date(2022, 1, 10),
        ends_on=datetime.date(2026, 12, 31),  # the end date that an unchanged save cleared
        is_active=True,
    )
    return Built(rep_services.voter_delegate_save(delegate=delegate, by=staff))


def build_station(world: World, staff: User) -> Built:
    return Built(_station(world, staff, []))


def build_duty_pattern(world: World, staff: User) -> Built:
    representative = _representative(world, staff)
    seat(representative, world.district)
    station = _station(world, staff, [representative])
    pattern = rep_services.duty_pattern_create(
        station=station,
        rotation=[representative],
        by=staff,
        kind=DutyPatternKind.MONTH_DAYS,
        month_digits="147",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 12, 31),
        start_time=datetime.time(14, 30),
        end_time=datetime.time(17, 0),
        note="逢1、4、7日下午",
    )
    return Built(pattern, {"station": station})


def build_activity(world: World, staff: User) -> Built:
    activity = rep_services.activity_create(
        by=staff,
        title="代表集中视察老旧小区改造",
        kind=ActivityKind.values[0],
        region=world.district,
        # A date-time input holds minutes: what the form was given holds minutes too.
        starts_at=timezone.make_aware(datetime.datetime(2026, 5, 12, 8, 30)),
        half_days=2,
        place="海州区政府门口集合",
        capacity=30,
        description="上午视察三个小区，\n下午座谈。",
    )
    return Built(activity)


def build_candidate(world: World, staff: User) -> Built:
    vote = vote_services.vote_create(
        congress=world.district.congress,
        title="2027年度民生实事项目代表票决",
        year=2027,
        seats=10,
        by=staff,
    )
    candidate = vote_services.candidate_add(
        vote=vote,
        title="老旧小区加装电梯",
        summary="为30个老旧小区加装电梯。\n资金由区财政和居民共同承担。",
        department=world.department,
        budget=Decimal("1250.50"),
        deadline="2027年12月底前",
        by=staff,
    )
    return Built(candidate, {"departments": Department.objects.filter(region=world.district)})


def build_cycle(world: World, staff: User) -> Built:
    # A subdistrict's year (its region a 街道, voted by the 议政会), every phase dated:
    # the create form offers townships only as its region.
    cycle = cycle_services.cycle_create(
        congress=world.district.congress,
        region=world.town,
        year=2027,
        title="新浦街道2027年度民生实事项目",
        electorate=Electorate.VOTER_DELEGATES,
        by=staff,
        call_opens_on=datetime.date(2026, 9, 1),
        call_closes_on=datetime.date(2026, 10, 15),
        screening_closes_on=datetime.date(2026, 11, 15),
        shortlist_closes_on=datetime.date(2026, 12, 15),
        vote_on=datetime.date(2027, 1, 10),
        implementation_starts_on=datetime.date(2027, 2, 1),
        midyear_on=datetime.date(2027, 7, 1),
        evaluation_opens_on=datetime.date(2027, 12, 1),
        evaluation_closes_on=datetime.date(2027, 12, 20),
    )
    context = {
        "congresses": Congress.objects.filter(pk=world.district.congress.pk),
        "regions": Region.objects.filter(path__startswith=world.district.path),
    }
    return Built(cycle, context)


BUILDERS: dict[type[models.Model], Callable[[World, User], Built]] = {
    Cycle: build_cycle,
    Representative: build_representative,
    Mandate: build_mandate,
    VoterDelegate: build_voter_delegate,
    Station: build_station,
    DutyPattern: build_duty_pattern,
    Activity: build_activity,
    Candidate: build_candidate,
}


# --- what a browser sends ------------------------------------------------------------

# HTML's value sanitisation: a value of another shape becomes the empty string.
SANITISED = {
    "date": re.compile(r"^\d{4,}-\d{2}-\d{2}$"),
    "datetime-local": re.compile(r"^\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$"),
    "time": re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$"),
    "number": re.compile(r"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$"),
}


class BrowserFormData(HTMLParser):
    """The name/value pairs a browser submits for the first form-like markup it reads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self.input_types: dict[str, str] = {}
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value if value is not None else "" for key, value in attrs_list}
        if "disabled" in attrs:
            return
        if tag == "input":
            self._input(attrs)
        elif tag == "select":
            self._select = {"name": attrs.get("name", ""), "multiple": "multiple" in attrs}
            self._select["options"] = []
        elif tag == "option" and self._select is not None:
            self._option = {"value": attrs.get("value"), "selected": "selected" in attrs, "t": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"name": attrs.get("name", ""), "text": ""}

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["t"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._close_select(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            text = text[1:] if text.startswith("\n") else text  # the parser drops that one
            self.pairs.append((self._textarea["name"], text.replace("\n", "\r\n")))
            self._textarea = None

    def _input(self, attrs: dict[str, str]) -> None:
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name or kind in ("submit", "button", "reset", "image", "file"):
            return
        self.input_types[name] = kind
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self.pairs.append((name, attrs.get("value", "on")))
            return
        value = attrs.get("value", "")
        pattern = SANITISED.get(kind)
        if pattern is not None and not pattern.match(value):
            value = ""
        self.pairs.append((name, value))

    def _close_select(self, select: dict[str, Any]) -> None:
        options = select["options"]
        chosen = [option for option in options if option["selected"]]
        if not chosen and not select["multiple"] and options:
            chosen = options[:1]  # a single select shows, and sends, its first option
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["t"].strip()
            self.pairs.append((select["name"], value))


def browser_post(html: str) -> tuple[MultiValueDict[str, str], dict[str, str]]:
    parser = BrowserFormData()
    parser.feed(html)
    data: MultiValueDict[str, str] = MultiValueDict()
    for name, value in parser.pairs:
        data.appendlist(name, value)
    return data, parser.input_types


# --- the story -------------------------------------------------------------------------


def _form_kwargs(form_class: type[forms.BaseForm], built: Built, staff: User) -> dict[str, Any]:
    available = {"user": staff, **built.context}
    parameters = inspect.signature(form_class.__init__).parameters
    missing = [
        name
        for name, parameter in parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        and parameter.default is inspect.Parameter.empty
        and name not in available
    ]
    assert not missing, f"{form_class.__qualname__} needs {missing}: add them to its builder"
    return {name: value for name, value in available.items() if name in parameters}


def _stored(instance: models.Model) -> dict[str, Any]:
    fresh = type(instance)._default_manager.get(pk=instance.pk)
    values = {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}
    for m2m in fresh._meta.many_to_many:
        values[m2m.name] = sorted(getattr(fresh, m2m.name).values_list("pk", flat=True))
    return values


def _after_save(form: forms.ModelForm[Any]) -> dict[str, Any]:
    """What saving the form would store, read off the instance it filled in."""
    instance = form.instance
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    for m2m in instance._meta.many_to_many:
        if m2m.name in form.cleaned_data:
            values[m2m.name] = sorted(obj.pk for obj in form.cleaned_data[m2m.name])
        else:
            values[m2m.name] = sorted(getattr(instance, m2m.name).values_list("pk", flat=True))
    return values


def _cases() -> Iterator[Any]:
    for form_class in project_model_forms():
        name = f"{form_class.__module__}.{form_class.__qualname__}"
        for language in LANGUAGES:
            marks = [pytest.mark.skip(reason=NOT_BUILT[name])] if name in NOT_BUILT else []
            yield pytest.param(form_class, language, id=f"{name}-{language}", marks=marks)


def test_the_product_has_model_forms_to_check() -> None:
    names = {form_class.__qualname__ for form_class in project_model_forms()}
    # Those known when this test was written; more may come, none may vanish unnoticed.
    assert {"VoterDelegateForm", "MandateForm", "ActivityForm", "CandidateForm"} <= names


@pytest.mark.parametrize(("form_class", "language"), list(_cases()))
def test_an_unchanged_form_saves_the_object_unchanged(
    world: World, district_staff: User, form_class: type[forms.ModelForm[Any]], language: str
) -> None:
    model = form_class._meta.model
    assert model in BUILDERS, f"no builder for {model.__name__}: add one to BUILDERS"
    built = BUILDERS[model](world, district_staff)
    before = _stored(built.instance)
    kwargs = _form_kwargs(form_class, built, district_staff)

    with translation.override(language):
        html = str(form_class(instance=built.instance, **kwargs))
        data, input_types = browser_post(html)
        fresh = model._default_manager.get(pk=built.instance.pk)
        form = form_class(data, instance=fresh, **kwargs)
        assert form.is_valid(), (dict(form.errors), data)

    for name, bound in ((name, form[name]) for name in form.fields):
        temporal = isinstance(bound.field, forms.DateField | forms.DateTimeField | forms.TimeField)
        if temporal and not bound.field.widget.is_hidden:
            assert input_types.get(bound.html_name) in ("date", "datetime-local", "time"), name
    assert _after_save(form) == before
    assert not form.has_changed(), form.changed_data


@pytest.mark.parametrize(("form_class", "language"), list(_cases()))
def test_an_empty_required_field_is_named_in_its_message(
    world: World, district_staff: User, form_class: type[forms.ModelForm[Any]], language: str
) -> None:
    """Sent back empty, each required field's message says which field it is about."""
    model = form_class._meta.model
    built = BUILDERS[model](world, district_staff)
    kwargs = _form_kwargs(form_class, built, district_staff)
    with translation.override(language):
        form = form_class({}, instance=built.instance, **kwargs)
        required = [bound for bound in form if bound.field.required and not bound.is_hidden]
        assert required and not form.is_valid()
        for bound in required:
            messages = list(form.errors.get(bound.name, ()))
            assert any(str(bound.label) in message for message in messages), (bound.name, messages)
