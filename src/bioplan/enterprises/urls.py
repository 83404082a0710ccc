from django.urls import path

from bioplan.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/delete/", views.enterprise_delete, name="delete"),
    path("<int:pk>/honours/new/", views.honour_new, name="honour_new"),
    path("honours/<int:pk>/edit/", views.honour_edit, name="honour_edit"),
    path("honours/<int:pk>/delete/", views.honour_delete, name="honour_delete"),
    path("<int:pk>/figures/new/", views.figure_new, name="figure_new"),
    path("figures/<int:pk>/edit/", views.figure_edit, name="figure_edit"),
    path("figures/<int:pk>/delete/", views.figure_delete, name="figure_delete"),
    path("<int:pk>/products/new/", views.product_new, name="product_new"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/delete/", views.product_delete, name="product_delete"),
    path("<int:pk>/cultivation/", views.cultivation_edit, name="cultivation"),
    path("<int:pk>/cultivation/remove/", views.cultivation_remove, name="cultivation_remove"),
    path("<int:pk>/honours/", views.honour_grant, name="honour_grant"),
    path("<int:pk>/figures/", views.figure_record, name="figure_record"),
    path("pool/", views.cultivation_pool, name="pool"),
    path("derived/", views.derived_list, name="derived"),
    path("sheets/<slug:kind>.xlsx", views.sheet_export, name="export"),
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_status, name="import_status"),
    path("import/<int:pk>/retry/", views.import_retry, name="import_retry"),
]
