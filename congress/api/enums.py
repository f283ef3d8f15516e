"""The API schema's names for choice sets (docs/architecture.md, "Layers: one home for
each kind of code").

"status" means different things in different apps, so every ``TextChoices`` an API
uses gets its own schema name. ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``
(``congress/settings.py``) is ``API_ENUM_NAMES`` below: the core's own names are
listed here, and each feature app registers its own from its ``AppConfig.ready``
with ``register_api_enums``, so the core's settings never name a feature app.

This module imports nothing from Django: the settings module reads it.
"""

from __future__ import annotations

from collections.abc import Mapping

# schema name → dotted path of the choices class. The schema is built after every
# app is ready, so the registrations are all in by the time drf-spectacular reads it.
API_ENUM_NAMES: dict[str, str] = {
    "AssignmentRoleEnum": "congress.models.loop.AssignmentRole",
    "AssignmentStatusEnum": "congress.models.loop.AssignmentStatus",
    "ChannelEnum": "congress.models.notifications.Channel",
    "CongressLevelEnum": "congress.models.regions.CongressLevel",
    "DepartmentKindEnum": "congress.models.accounts.DepartmentKind",
    "RegionLevelEnum": "congress.models.regions.RegionLevel",
    "RoleEnum": "congress.models.accounts.Role",
    "SessionKindEnum": "congress.models.regions.SessionKind",
}


class EnumNameTaken(ValueError):
    """Two choice sets registered under one schema name."""


def register_api_enums(names: Mapping[str, str]) -> None:
    """Give the choice sets ``names`` (schema name → dotted path of the choices class)
    their schema names. Registering the same pair twice is harmless; one name for two
    choice sets is refused, since the schema would silently name only one of them."""
    for name, path in names.items():
        known = API_ENUM_NAMES.get(name)
        if known is not None and known != path:
            raise EnumNameTaken(f"API enum name {name!r} is {known!r}, not {path!r}.")
        API_ENUM_NAMES[name] = path
