from django.urls import path

from archive.notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox", views.inbox, name="inbox"),
    path("inbox/read", views.notifications_read_all, name="read_all"),
    path("inbox/<id:notification_id>/read", views.notification_read, name="read"),
    path("subscriptions", views.subscription_list, name="subscriptions"),
    path("preferences", views.preferences, name="preferences"),
    path("works/<id:key>/subscribe", views.subscription_create, {"kind": "story"}, name="subscribe_story"),
    path("works/<id:key>/unsubscribe", views.subscription_delete, {"kind": "story"}, name="unsubscribe_story"),
    path("users/<text:key>/subscribe", views.subscription_create, {"kind": "author"}, name="subscribe_author"),
    path("users/<text:key>/unsubscribe", views.subscription_delete, {"kind": "author"}, name="unsubscribe_author"),
    path("tags/<tag:key>/subscribe", views.subscription_create, {"kind": "tag"}, name="subscribe_tag"),
    path("tags/<tag:key>/unsubscribe", views.subscription_delete, {"kind": "tag"}, name="unsubscribe_tag"),
    path("series/<id:key>/subscribe", views.subscription_create, {"kind": "series"}, name="subscribe_series"),
    path("series/<id:key>/unsubscribe", views.subscription_delete, {"kind": "series"}, name="unsubscribe_series"),
]
