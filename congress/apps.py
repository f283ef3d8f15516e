from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("人大常委会（基础数据）")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from celery.signals import task_prerun
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_started

        from congress import (  # noqa: F401 - connects signals, registers nav and panels
            audit,
            boundary_setup,
            dashboard_panels,
            navigation,
            retention,  # registers the retention period's rule
            rules,
        )
        from congress.middleware import session_refreshed_at_login
        from congress.workdays import forget_overrides

        user_logged_in.connect(session_refreshed_at_login, dispatch_uid="session-refreshed")

        # Each request and each task checks the calendar's revision once (when it
        # counts a deadline), so a holiday edit counts everywhere from the next one.
        request_started.connect(forget_overrides, dispatch_uid="calendar-recheck")
        task_prerun.connect(forget_overrides, dispatch_uid="calendar-recheck", weak=False)
