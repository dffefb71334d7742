from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_new, name="new"),
    path("suggest/", views.suggest, name="suggest"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
    path("<int:pk>/publish/", views.article_publish, name="publish"),
    path("<int:pk>/vote/", views.article_vote, name="vote"),
    path("<int:pk>/opened/", views.suggestion_opened, name="opened"),
]
