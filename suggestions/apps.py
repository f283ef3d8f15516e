from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("群众诉求与代表建议")
    default_auto_field = "django.db.models.BigAutoField"
