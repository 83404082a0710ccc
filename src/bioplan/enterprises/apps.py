from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "bioplan.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from bioplan.enterprises import derived, services, sheets, views
        from bioplan.plans.services import register_version_carrier

        derived.register_enterprise_rules()
        register_version_carrier(services.derived_rule_carry)
        sheets.register_enterprise_sheets()
        views.register_panels()
        from bioplan.enterprises.selectors import enterprise_search
        from bioplan.web.search import register_search_source

        register_search_source("enterprises", enterprise_search, order=30)
        # A target bound to a derived rule reads the registries wherever tracking shows its actual.
        from bioplan.enterprises.selectors import derived_figures, derived_version
        from bioplan.tracking.selectors import register_figure_source

        register_figure_source(derived_figures, version=derived_version)
