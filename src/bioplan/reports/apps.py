from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "bioplan.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Tracking's checks on import, its plan-page panel and the start-page reminders
        # (bioplan.tracking.hooks; idempotent, so TrackingConfig.ready may call it too).
        from bioplan.tracking.hooks import connect

        connect()
