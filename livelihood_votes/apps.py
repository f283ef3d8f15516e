from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodVotesConfig(AppConfig):
    """民生实事项目代表票决: the secret-ballot vote on the year's livelihood projects."""

    name = "livelihood_votes"
    verbose_name = _("民生实事项目票决")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from livelihood_votes import setup  # noqa: F401 - registers
