from django.urls import path

from bioplan.parks import views

app_name = "parks"
urlpatterns = [
    path("", views.park_list, name="list"),
    path("<int:pk>/", views.park_detail, name="detail"),
    path("<int:pk>/edit/", views.park_edit, name="edit"),
    path("<int:pk>/<slug:kind>/new/", views.record_new, name="record_new"),
    path("<slug:kind>/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("<slug:kind>/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("spaces/", views.space_list, name="spaces"),
    path("demands/", views.demand_list, name="demands"),
    path("demands/<int:pk>/", views.demand_detail, name="demand"),
    path("demands/<int:pk>/accept/", views.demand_accept, name="demand_accept"),
    path("maps/", views.map_layers, name="map_layers"),
    path("maps/<int:pk>/withdraw/", views.map_layer_withdraw, name="map_layer_withdraw"),
]
