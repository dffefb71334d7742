"""/api/v1/ (the API), /api/v1/schema/ (OpenAPI 3), /api/docs/ (Swagger UI, served by the
portal: drf-spectacular-sidecar), /api/tokens/ (the profile page's token forms)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import token_views
from api.views import actions, conversation, reference, tickets

app_name = "api"

v1 = [
    path("tickets/", tickets.TicketList.as_view(), name="tickets"),
    path("tickets/<str:number>/", tickets.TicketDetail.as_view(), name="ticket"),
    path("tickets/<str:number>/messages/", conversation.Messages.as_view(), name="messages"),
    path(
        "tickets/<str:number>/attachments/",
        conversation.Attachments.as_view(),
        name="attachments",
    ),
    path("tickets/<str:number>/take/", actions.Take.as_view(), name="take"),
    path("tickets/<str:number>/assign/", actions.Assign.as_view(), name="assign"),
    path("tickets/<str:number>/request-info/", actions.RequestInfo.as_view(), name="request-info"),
    path("tickets/<str:number>/resolve/", actions.Resolve.as_view(), name="resolve"),
    path("tickets/<str:number>/confirm/", actions.Confirm.as_view(), name="confirm"),
    path("tickets/<str:number>/dispute/", actions.Dispute.as_view(), name="dispute"),
    path("tickets/<str:number>/withdraw/", actions.Withdraw.as_view(), name="withdraw"),
    path(
        "tickets/<str:number>/handling-method/",
        actions.HandlingMethod.as_view(),
        name="handling-method",
    ),
    path(
        "tickets/<str:number>/priority-proposals/",
        actions.PriorityProposals.as_view(),
        name="priority-proposals",
    ),
    path(
        "tickets/<str:number>/priority-proposals/<int:change_id>/answer/",
        actions.PriorityAnswer.as_view(),
        name="priority-answer",
    ),
    path(
        "attachments/<int:pk>/download/",
        conversation.AttachmentDownload.as_view(),
        name="attachment-download",
    ),
    path("organizations/", reference.Organizations.as_view(), name="organizations"),
    path("organizations/<int:pk>/", reference.OrganizationDetail.as_view(), name="organization"),
    path("licenses/", reference.Licenses.as_view(), name="licenses"),
    path("notifications/", reference.Notifications.as_view(), name="notifications"),
    path("notifications/read/", reference.NotificationsRead.as_view(), name="notifications-read"),
    path("sla/timeline/", reference.SlaTimeline.as_view(), name="sla-timeline"),
    path("webhooks/", include("webhooks.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path(
        "docs/",
        # The page and its start-up script come separately, both from the portal: the
        # Content-Security-Policy allows no inline script or style (templates/api/).
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("tokens/", token_views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
]
