from django.urls import path

from replies import views

app_name = "replies"

urlpatterns = [
    path("", views.reply_list, name="list"),
    path("new/", views.reply_new, name="new"),
    path("<int:pk>/edit/", views.reply_edit, name="edit"),
    path("<int:pk>/delete/", views.reply_delete, name="delete"),
    path("choices/", views.choices, name="choices"),
    path("<int:pk>/fill/<str:number>/", views.fill, name="fill"),
]
