"""Mounted by the project with ``path("", include("bioplan.web.urls"))``; names are not namespaced."""

from django.urls import path

from bioplan.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
