from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Change history per object, deleted records and their restoring, across every app."""

    name = "bioplan.audit"
    label = "audit"
    verbose_name = "变更记录"

    def ready(self) -> None:
        from bioplan.audit import tracked

        tracked.register_all()
