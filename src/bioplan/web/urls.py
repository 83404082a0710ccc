"""Mounted by the project with ``path("", include("bioplan.web.urls"))``; names are not namespaced."""

from django.urls import path

from bioplan.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("help/", views.help_page, {"doc": "user-guide"}, name="help"),
    path("help/api/", views.help_page, {"doc": "api-guide"}, name="help_api"),
    path("help/img/<str:name>", views.help_image, name="help_image"),
]
