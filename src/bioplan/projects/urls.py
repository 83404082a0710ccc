from django.urls import path

from bioplan.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("map/", views.battle_map, name="map"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/advance/", views.project_advance, name="advance"),
    path("<int:pk>/plan/", views.project_plan, name="plan"),
]
