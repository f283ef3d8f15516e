"""Small template helpers: kinds of form widget, level badges, masking.

The widgets' Bootstrap classes come from the product's form renderer (congress/forms.py).
"""

from __future__ import annotations

from typing import Any

from django import forms, template

from representatives.models import mask_phone

register = template.Library()


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
