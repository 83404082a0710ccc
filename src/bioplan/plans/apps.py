from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "bioplan.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from bioplan.plans.selectors import department_search, plan_search
        from bioplan.web.search import register_search_source

        register_search_source("plans", plan_search, order=10)
        register_search_source("departments", department_search, order=20)
