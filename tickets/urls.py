from django.urls import path

from tickets.views import (
    actions,
    engineer,
    hotline,
    notifications,
    pages,
    rating,
    sessions,
    watchers,
)

app_name = "tickets"

urlpatterns = [
    path("", pages.ticket_list, name="list"),
    path("new/", pages.ticket_new, name="new"),
    path("hotline/", hotline.hotline, name="hotline"),
    path("hotline/new/", hotline.hotline_new, name="hotline_new"),
    path("hotline/log/", hotline.hotline_log, name="hotline_log"),
    path("hotline/callers/", hotline.hotline_callers, name="hotline_callers"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/mail/", notifications.mail_preferences, name="mail_preferences"),
    path("attachments/<int:pk>/", pages.attachment_download, name="attachment"),
    path("rate/<str:token>/", rating.rate_by_link, name="rate_by_link"),
    path("<str:number>/", pages.ticket_detail, name="detail"),
    path("<str:number>/rate/", rating.rate, name="rate"),
    path("<str:number>/to-article/", engineer.to_article, name="to_article"),
    path("<str:number>/registered/", pages.ticket_registered, name="registered"),
    path("<str:number>/reply/", actions.reply, name="reply"),
    path("<str:number>/confirm/", actions.confirm, name="confirm"),
    path("<str:number>/dispute/", actions.dispute, name="dispute"),
    path("<str:number>/withdraw/", actions.withdraw, name="withdraw"),
    path("<str:number>/priority/", actions.priority_propose, name="priority_propose"),
    path(
        "<str:number>/priority/<int:change_id>/answer/",
        actions.priority_answer,
        name="priority_answer",
    ),
    path("<str:number>/follow/", watchers.follow, name="follow"),
    path("<str:number>/unfollow/", watchers.unfollow, name="unfollow"),
    path("<str:number>/watchers/add/", watchers.watcher_add, name="watcher_add"),
    path(
        "<str:number>/watchers/<int:user_id>/remove/",
        watchers.watcher_remove,
        name="watcher_remove",
    ),
    path("<str:number>/take/", engineer.take, name="take"),
    path("<str:number>/assign/", engineer.assign, name="assign"),
    path("<str:number>/request-info/", engineer.request_info, name="request_info"),
    path("<str:number>/resolve/", engineer.resolve, name="resolve"),
    path("<str:number>/handling-method/", engineer.handling_method, name="handling_method"),
    path("<str:number>/contact/", engineer.record_contact, name="record_contact"),
    path("<str:number>/sessions/propose/", sessions.session_propose, name="session_propose"),
    path("<str:number>/sessions/<int:pk>/answer/", sessions.session_answer, name="session_answer"),
    path(
        "<str:number>/sessions/<int:pk>/counter/",
        sessions.session_counter,
        name="session_counter",
    ),
]
