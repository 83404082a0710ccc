from django.urls import path

from bioplan.core import views

app_name = "core"
urlpatterns = [
    path("", views.department_list, name="department_list"),
    path("<int:pk>/", views.department_detail, name="department_detail"),
    path("<int:pk>/edit/", views.department_edit, name="department_edit"),
]
