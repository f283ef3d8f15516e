"""Small template helpers: Bootstrap classes on form widgets, level badges, masking."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from representatives.models import mask_phone

register = template.Library()

_CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def bs(field: forms.BoundField) -> SafeString:
    """Render a bound field's widget with the Bootstrap class its kind needs."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = ""
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css.strip()} if css.strip() else None)


@register.filter
def is_check(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_list(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value or "")


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def count_of(item: Any, code: str) -> int:
    return int(item.count_of(code))
