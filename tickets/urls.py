from django.urls import path

from tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<str:number>/", views.ticket_detail, name="detail"),
]
