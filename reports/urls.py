from django.urls import path, re_path

from reports import views

app_name = "reports"

MONTH = r"(?P<month>\d{4}-\d{2})"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:organization_id>/", views.months, name="months"),
    re_path(rf"^(?P<organization_id>\d+)/{MONTH}/$", views.detail, name="detail"),
    re_path(rf"^(?P<organization_id>\d+)/{MONTH}/pdf/$", views.pdf, name="pdf"),
    re_path(rf"^(?P<organization_id>\d+)/{MONTH}/csv/$", views.csv_file, name="csv"),
]
