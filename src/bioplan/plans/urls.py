from django.urls import path

from bioplan.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import, name="import"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/diff/<int:other>/", views.plan_diff, name="diff"),
    path("<int:pk>/successor/", views.successor_set, name="successor"),
]
