from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bioplan.demo"
    label = "demo"
    verbose_name = "Demo data"
