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
        from suggestions.citizen import setup as citizen_setup  # noqa: F401 - registers
        from suggestions.formal import setup as formal_setup  # noqa: F401 - registers
