from django.urls import path

from bioplan.plans import review_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import, name="import"),
    path("search/", views.search, name="search"),
    path("drafts/", review_views.draft_list, name="draft_list"),
    path("drafts/<int:pk>/", review_views.draft_review, name="draft_review"),
    path("drafts/<int:pk>/meta/", review_views.draft_meta, name="draft_meta"),
    path("drafts/<int:pk>/<str:kind>/new/", review_views.draft_item, name="draft_item_add"),
    path("drafts/<int:pk>/<str:kind>/<int:index>/", review_views.draft_item, name="draft_item"),
    path(
        "drafts/<int:pk>/<str:kind>/<int:index>/delete/",
        review_views.draft_item_delete,
        name="draft_item_delete",
    ),
    path("drafts/<int:pk>/publish/", review_views.draft_publish, name="draft_publish"),
    path("drafts/<int:pk>/discard/", review_views.draft_discard, name="draft_discard"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/diff/<int:other>/", views.plan_diff, name="diff"),
    path("<int:pk>/successor/", views.successor_set, name="successor"),
    path("tasks/<int:pk>/nodes/", views.task_nodes, name="task_nodes"),
]
