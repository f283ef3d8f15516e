"""How every form of the product meets the browser, set once for all apps.

``FORM_RENDERER`` names the renderer below, and Django gives each form its
``bound_field_class``, so every form (plain or model form, any app's, the
filters' and the admin's) gets two things without declaring anything:

* Date, date-time and time inputs are the browser's own pickers and hold ISO
  values in every language. An ``<input type="date">`` reads and writes only
  ``2026-12-03`` (HTML, "valid date string"); given the Chinese input format
  ``2026/12/03`` it shows an empty field, and a form saved without touching it
  loses the stored date. Parsing needs nothing: Django accepts ISO input in
  every language.
* Django's stock messages say which field they are about: "请填写“联系日期”。"
  rather than "该字段是必填项。", so a message read away from its field (a flash
  message, an API answer, a screen reader's list of errors) still makes sense.
  A message a form wrote itself is left as it is.
* A text area's line breaks come back as they were stored (LF), not as the CR LF
  a browser sends, so saving an untouched form changes nothing.
* Every widget carries the Bootstrap class its kind needs (``form-control``,
  ``form-select``, ``form-check-input`` and ``is-invalid`` once it has an error), so
  templates render ``{{ field }}`` as it is. This is the only place that adds them:
  a form declares nothing, and a widget that names its own Bootstrap class
  (``form-control-lg``, ``btn-check``) keeps it. The admin loads no Bootstrap, so
  the classes are inert there.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.boundfield import BoundField, BoundWidget
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import DateTimeBaseInput
from django.utils.functional import cached_property, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

# (widget class, the input type the browser offers a picker for, the value it holds)
NATIVE_TEMPORAL_INPUTS: tuple[tuple[type[DateTimeBaseInput], str, str], ...] = (
    (forms.DateTimeInput, "datetime-local", "%Y-%m-%dT%H:%M"),
    (forms.DateInput, "date", "%Y-%m-%d"),
    (forms.TimeInput, "time", "%H:%M"),
)
# The admin brings its own calendar and clock to a text input; a native picker
# beside them would be a second one.
_ADMIN_TEMPORAL_WIDGETS = (admin_widgets.AdminDateWidget, admin_widgets.AdminTimeWidget)

_CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)
# Stock messages that get the label in front. Not the ones worded by a number
# ("at most %(max)s digits", ngettext_lazy): their text exists only once the
# number is known, so there is nothing to put a label in front of here.
PREFIXED_CODES = frozenset(
    {"invalid", "invalid_choice", "invalid_pk_value", "invalid_list", "list", "empty", "overflow"}
)


def use_native_temporal_input(widget: forms.Widget) -> None:
    """Make a date, date-time or time widget the browser's picker, holding an ISO value."""
    if isinstance(widget, _ADMIN_TEMPORAL_WIDGETS):
        return
    for widget_class, input_type, iso_format in NATIVE_TEMPORAL_INPUTS:
        if isinstance(widget, widget_class) and widget.input_type in ("text", input_type):
            widget.input_type = input_type
            widget.format = iso_format
            return


def required_message(widget: forms.Widget, label: Any) -> Any:
    """What to say when a required field is empty, in the words its widget calls for."""
    if isinstance(widget, forms.CheckboxInput):
        return format_lazy(gettext_lazy("请勾选“{label}”。"), label=label)
    if isinstance(widget, _CHOICE_WIDGETS):
        return format_lazy(gettext_lazy("请选择“{label}”。"), label=label)
    if isinstance(widget, forms.FileInput):
        return format_lazy(gettext_lazy("请上传“{label}”。"), label=label)
    return format_lazy(gettext_lazy("请填写“{label}”。"), label=label)


def _prefixed(label: Any, message: Any) -> str:
    text, name = str(message), str(label)
    if "%(" in text:  # the message is %-formatted with its parameters later
        name = name.replace("%", "%%")
    return gettext("“%(label)s”：%(message)s") % {"label": name, "message": text}


_prefixed_lazy = lazy(_prefixed, str)


def stock_messages(field: forms.Field) -> dict[str, Any]:
    """The field's error messages that are Django's own, not given by the form."""
    defaults: dict[str, Any] = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    return {
        code: message
        for code, message in field.error_messages.items()
        if defaults.get(code) is message
    }


def name_the_field(field: forms.Field, label: Any) -> None:
    """Give the field's stock messages its label (labels are set by the time a form is used)."""
    for code, message in stock_messages(field).items():
        if code == "required":
            field.error_messages[code] = required_message(field.widget, label)
        elif code in PREFIXED_CODES:
            field.error_messages[code] = _prefixed_lazy(label, message)


# Radios and check boxes listed one per choice: each option's input is a check; the
# list's own wrapper gets no class (form-check-input on a <div> draws a box).
_CHOICE_LISTS = (forms.RadioSelect, forms.CheckboxSelectMultiple)
_BOOTSTRAP_CLASSES = ("form-control", "form-select", "form-check-input", "btn-check")


def bootstrap_class(widget: forms.Widget) -> str:
    """The Bootstrap class a widget's input needs, or "" for none."""
    if widget.is_hidden or isinstance(widget, _CHOICE_LISTS):
        return ""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def with_class(existing: Any, css: str) -> str:
    """``existing`` plus ``css``, unless the widget already names a Bootstrap class."""
    names = str(existing or "").split()
    if css and not any(name.startswith(_BOOTSTRAP_CLASSES) for name in names):
        names.append(css)
    return " ".join(names)


class ProductBoundField(BoundField):
    """A field as it meets its form: made once per form and field, before cleaning.

    Django builds it on the first ``form[name]``, which ``full_clean`` makes too, so
    the messages are named before any validation runs. The field and its widget are
    the form's own copies (Django deep-copies them per form), safe to adjust.
    """

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        use_native_temporal_input(field.widget)
        if not field.widget.is_hidden:
            name_the_field(field, self.label)

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        kind = bootstrap_class(widget)
        if kind:
            # The widget's own attributes are overridden by these, so its class joins in.
            css = with_class(attrs.get("class", widget.attrs.get("class")), kind)
            attrs["class"] = f"{css} is-invalid" if self.errors else css
        return attrs

    @cached_property
    def subwidgets(self) -> list[BoundWidget]:
        options: list[BoundWidget] = BoundField.subwidgets.func(self)  # type: ignore[attr-defined]
        if isinstance(self.field.widget, _CHOICE_LISTS):
            for option in options:
                attrs = option.data["attrs"]
                attrs["class"] = with_class(attrs.get("class"), "form-check-input")
        return options

    @property
    def data(self) -> Any:
        value = super().data
        if isinstance(self.field.widget, forms.Textarea) and isinstance(value, str):
            # A browser sends a text area's line breaks as CR LF (HTML form submission);
            # stored text has LF, so an untouched text would come back changed.
            return value.replace("\r\n", "\n")
        return value


class FormRenderer(DjangoTemplates):
    bound_field_class = ProductBoundField
