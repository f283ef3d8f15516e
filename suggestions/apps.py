from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """Citizens' problems and appointments (``citizen``), and representatives'
    suggestions and motions (``formal``): two channels, one app, because a
    citizen's problem can become a representative's suggestion."""

    name = "suggestions"
    verbose_name = _("群众诉求与代表建议")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congress.api.enums import register_api_enums
        from suggestions import topic_sources  # noqa: F401 - registers (supervision's sources)
        from suggestions.citizen import setup as citizen_setup  # noqa: F401 - registers
        from suggestions.formal import setup as formal_setup  # noqa: F401 - registers

        register_api_enums(
            {
                "AppointmentKindEnum": "suggestions.models.appointment.AppointmentKind",
                "AppointmentStatusEnum": "suggestions.models.appointment.AppointmentStatus",
                "ConversionKindEnum": "suggestions.models.citizen.ConversionKind",
                "DeclineChannelEnum": "suggestions.models.citizen.DeclineChannel",
                "IssueRatingEnum": "suggestions.models.citizen.IssueRating",
                "IssueSourceEnum": "suggestions.models.citizen.IssueSource",
                "IssueStatusEnum": "suggestions.models.citizen.IssueStatus",
                "HandlingMethodEnum": "suggestions.models.formal.HandlingMethod",
                "HandlingStageEnum": "suggestions.models.formal.HandlingStage",
                "RatingChannelEnum": "suggestions.models.formal.RatingChannel",
                "ReplyCategoryEnum": "suggestions.models.formal.ReplyCategory",
                "SignerRoleEnum": "suggestions.models.formal.SignerRole",
                "SignerStatusEnum": "suggestions.models.formal.SignerStatus",
                "SuggestionCategoryEnum": "suggestions.models.formal.SuggestionCategory",
                "SuggestionKindEnum": "suggestions.models.formal.SuggestionKind",
                "SuggestionStatusEnum": "suggestions.models.formal.SuggestionStatus",
            }
        )
