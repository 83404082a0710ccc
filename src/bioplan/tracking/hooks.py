"""What tracking plugs into other apps; `connect()` is called once from TrackingConfig.ready().

* plans.services.register_after_import(consistency_after_import) — checks run on every import;
* plans.services.register_version_carrier(tracking_carry) — bindings and reports follow a new version;
* plans.selectors.register_plan_panel(consistency_panel) — findings with arithmetic on the plan page;
* plans.selectors.register_plan_panel(final_evaluation_panel) — the 终期评估 of a plan past its end;
* web.panels.register_panel(...) — open 催办 reminders on the start page.
"""

from __future__ import annotations


def connect() -> None:
    from bioplan.plans.selectors import register_plan_panel
    from bioplan.plans.services import register_after_import, register_version_carrier
    from bioplan.tracking.services import consistency_after_import, tracking_carry
    from bioplan.tracking.views import consistency_panel, final_evaluation_panel, reminders_panel_context
    from bioplan.web.panels import register_panel

    register_after_import(consistency_after_import)
    register_version_carrier(tracking_carry)
    register_plan_panel(consistency_panel)
    register_plan_panel(final_evaluation_panel)
    register_panel("web/panels/card.html", reminders_panel_context, order=20)
