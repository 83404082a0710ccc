from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "bioplan.tracking"
    label = "tracking"
    verbose_name = _("Tracking")

    def ready(self) -> None:
        # Checks on every plan import, the plan-page findings panel and the start-page reminders.
        from bioplan.tracking.hooks import connect

        connect()
