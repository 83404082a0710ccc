from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "bioplan.parks"
    label = "parks"
    verbose_name = _("Park registry")

    def ready(self) -> None:
        from bioplan.parks import derived, selectors, sheets

        derived.register_park_rules()
        sheets.register_park_sheets()
        from bioplan.web.search import register_search_source

        register_search_source("parks", selectors.park_search, order=50)
