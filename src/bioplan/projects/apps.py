from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "bioplan.projects"
    label = "projects"
    verbose_name = _("Key projects")

    def ready(self) -> None:
        from bioplan.projects import panels, selectors, sheets
        from bioplan.tracking.selectors import register_capacity_source

        sheets.register_project_sheets()
        panels.register_panels()
        # Key projects reaching 达产 feed the forecast of output targets.
        register_capacity_source(selectors.output_capacity_by_year, version=selectors.output_capacity_version)
        from bioplan.web.search import register_search_source

        register_search_source("projects", selectors.project_search, order=40)
