from django.urls import path

from webhooks import api

urlpatterns = [
    path("", api.Endpoints.as_view(), name="webhooks"),
    path("<int:pk>/", api.EndpointDetail.as_view(), name="webhook"),
    path("<int:pk>/enable/", api.EndpointEnable.as_view(), name="webhook-enable"),
    path("<int:pk>/deliveries/", api.Deliveries.as_view(), name="webhook-deliveries"),
]
