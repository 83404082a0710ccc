from django.urls import path

from bioplan.tracking import views

app_name = "tracking"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/remind/", views.cycle_remind, name="cycle_remind"),
    path("cycles/<int:pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/tasks/<int:task_id>/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path(
        "reports/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("figures/", views.observation_list, name="observation_list"),
    path("figures/<int:pk>/history/", views.observation_history, name="observation_history"),
    path("conflicts/", views.conflict_list, name="conflict_list"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("plans/<int:pk>/bindings/", views.binding_list, name="binding_list"),
]
