from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodVotesConfig(AppConfig):
    """民生实事项目代表票决: the secret-ballot vote on the year's livelihood projects."""

    name = "livelihood_votes"
    verbose_name = _("民生实事项目票决")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congress.api.enums import register_api_enums
        from livelihood_votes import (  # noqa: F401 - registers
            cycle_setup,
            dashboard,
            project_setup,
            rating_setup,
            setup,
        )

        register_api_enums(
            {
                "BallotFormEnum": "livelihood_votes.models.BallotForm",
                "BallotMarkEnum": "livelihood_votes.models.Mark",
                "BallotSourceEnum": "livelihood_votes.models.BallotSource",
                "PassBaseEnum": "livelihood_votes.models.PassBase",
                "VoteStatusEnum": "livelihood_votes.models.VoteStatus",
            }
        )
