from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("人大常委会（基础数据）")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congress import audit, navigation  # noqa: F401 - connects signals, registers nav
