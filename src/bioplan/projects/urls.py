from django.urls import path

from bioplan.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("map/", views.battle_map, name="map"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/stages/", views.project_stages, name="stages"),
    path("<int:pk>/delete/", views.project_delete, name="delete"),
    path("<int:pk>/advance/", views.project_advance, name="advance"),
    path("<int:pk>/plan/", views.project_plan, name="plan"),
]
