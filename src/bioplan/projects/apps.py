from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "bioplan.projects"
    label = "projects"
    verbose_name = _("Key projects")

    def ready(self) -> None:
        from bioplan.projects import panels, sheets

        sheets.register_project_sheets()
        panels.register_panels()
