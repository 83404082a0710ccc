from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bioplan.web"
    label = "web"
    verbose_name = "Web"
