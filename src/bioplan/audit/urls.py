from django.urls import path

from bioplan.audit import views

app_name = "audit"
urlpatterns = [
    path("deleted/", views.deleted_list, name="deleted_list"),
    path(
        "deleted/<slug:app_label>/<slug:model_name>/<int:pk>/restore/",
        views.record_restore,
        name="restore",
    ),
    path("<slug:app_label>/<slug:model_name>/<int:pk>/", views.object_history, name="object_history"),
]
