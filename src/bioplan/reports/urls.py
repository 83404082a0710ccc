from django.urls import path

from bioplan.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/quarterly.docx", views.quarterly_docx, name="quarterly_docx"),
    path("plans/<int:pk>/final.docx", views.final_docx, name="final_docx"),
    path("plans/<int:pk>/targets.xlsx", views.targets_xlsx, name="targets_xlsx"),
    path("plans/<int:pk>/tasks.xlsx", views.tasks_xlsx, name="tasks_xlsx"),
    path("figures.xlsx", views.observations_xlsx, name="observations_xlsx"),
]
