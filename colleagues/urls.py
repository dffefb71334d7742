from django.urls import path

from colleagues import views

app_name = "colleagues"

urlpatterns = [
    path("", views.colleague_list, name="list"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("<int:pk>/active/", views.colleague_active, name="active"),
    path("<int:pk>/licenses/", views.colleague_licenses, name="licenses"),
    path("join/<str:token>/", views.accept, name="accept"),
]
