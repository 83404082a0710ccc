from django.urls import path

from bioplan.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/honours/", views.honour_grant, name="honour_grant"),
    path("<int:pk>/figures/", views.figure_record, name="figure_record"),
    path("pool/", views.cultivation_pool, name="pool"),
    path("derived/", views.derived_list, name="derived"),
    path("sheets/<slug:kind>.xlsx", views.sheet_export, name="export"),
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_status, name="import_status"),
]
