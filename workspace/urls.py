from django.urls import path

from workspace import calculator_views, queue_export, saved_views_views, views

app_name = "workspace"

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/rows/", views.queue_rows, name="queue_rows"),
    path("queue/bulk/", views.queue_bulk, name="queue_bulk"),
    path("queue/export/", queue_export.queue_csv, name="queue_export"),
    path("queue/views/", saved_views_views.saved_view_list, name="saved_views"),
    path("queue/views/save/", saved_views_views.saved_view_create, name="saved_view_create"),
    path(
        "queue/views/<int:pk>/rename/",
        saved_views_views.saved_view_rename,
        name="saved_view_rename",
    ),
    path(
        "queue/views/<int:pk>/delete/",
        saved_views_views.saved_view_delete,
        name="saved_view_delete",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("sla-calculator/", calculator_views.sla_calculator, name="sla_calculator"),
]
