"""The house rules of docs/architecture.md that a test can hold: one way to do each thing."""

import pathlib
import re

import pytest
from django.conf import settings
from django.db.models import Choices
from django.utils.module_loading import import_string

from congress.api.enums import API_ENUM_NAMES, EnumNameTaken, register_api_enums

ROOT = pathlib.Path(__file__).resolve().parent.parent
FEATURE_APPS = ("representatives", "suggestions", "livelihood_votes", "supervision")


def test_the_core_settings_name_no_feature_apps_choices() -> None:
    """Feature apps register their API enum names; the core's settings list none of them."""
    source = (ROOT / "congress" / "settings.py").read_text()
    block = source[source.index("SPECTACULAR_SETTINGS") :]
    block = block[: block.index("\n}\n")]
    named = re.findall(r"\b(" + "|".join(FEATURE_APPS) + r")\.models\b", block)
    assert named == []
    assert settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] is API_ENUM_NAMES


def test_every_registered_enum_name_is_a_choice_set() -> None:
    # 9 of the core (the satisfaction levels registered by the livelihood rating), 15 of
    # representatives, 16 of suggestions, 15 of the livelihood year (the vote 5, the call
    # 5, the projects 3, the rating 2), 15 of supervision (plans and findings 6, meetings
    # 5, evaluations 2, monitoring points and their questions 2).
    assert len(API_ENUM_NAMES) == 70
    for name, path in API_ENUM_NAMES.items():
        assert name.endswith("Enum"), name
        assert issubclass(import_string(path), Choices), path
    assert API_ENUM_NAMES["IssueStatusEnum"] == "suggestions.models.citizen.IssueStatus"
    assert API_ENUM_NAMES["VoteStatusEnum"] == "livelihood_votes.models.VoteStatus"
    assert API_ENUM_NAMES["MandateStatusEnum"] == "representatives.models.MandateStatus"


def test_one_schema_name_is_one_choice_set() -> None:
    register_api_enums({"IssueStatusEnum": "suggestions.models.citizen.IssueStatus"})  # again
    with pytest.raises(EnumNameTaken):
        register_api_enums({"IssueStatusEnum": "suggestions.models.formal.SuggestionStatus"})
    assert API_ENUM_NAMES["IssueStatusEnum"] == "suggestions.models.citizen.IssueStatus"


def test_every_appointment_action_is_declared_once_and_an_unknown_one_is_refused() -> None:
    from congress.errors import UnknownAction
    from suggestions.citizen.appointment_actions import APPOINTMENT_ACTIONS, appointment_action

    # 约见: routed to a department, confirmed, re-timed, accepted, declined, cancelled, held.
    assert set(APPOINTMENT_ACTIONS) == {
        "route",
        "confirm",
        "propose",
        "accept_proposal",
        "decline",
        "cancel",
        "record_meeting",
    }
    with pytest.raises(UnknownAction):
        appointment_action("delete_everything")
