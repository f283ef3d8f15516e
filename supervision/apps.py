from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from supervision import (  # noqa: F401  (registration with the core)
            dossier_setup,
            evaluation_setup,
            meeting_setup,
            monitoring_setup,
            setup,
            source_setup,
        )
