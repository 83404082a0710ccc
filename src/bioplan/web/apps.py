from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bioplan.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from django.contrib.auth.decorators import login_not_required
        from django.views.i18n import set_language

        # The login page offers 中文/English before anyone has signed in, so LoginRequiredMiddleware
        # must let Django's set_language through. The decorator only marks the function.
        login_not_required(set_language)
