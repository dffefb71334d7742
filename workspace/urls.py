from django.urls import path

from workspace import calculator_views, views

app_name = "workspace"

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/rows/", views.queue_rows, name="queue_rows"),
    path("queue/bulk/", views.queue_bulk, name="queue_bulk"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("sla-calculator/", calculator_views.sla_calculator, name="sla_calculator"),
]
