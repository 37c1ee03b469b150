from django.urls import path

from archive.cocreators import views

app_name = "cocreators"

urlpatterns = [
    path("works/<id:story_id>/co-creators", views.manage, name="manage"),
    path("works/<id:story_id>/co-creators/leave", views.leave, name="leave"),
    path(
        "works/<id:story_id>/co-creators/invitations/<id:invitation_id>/withdraw",
        views.withdraw,
        name="withdraw",
    ),
    path("works/<id:story_id>/invitation", views.invitation, name="invitation"),
    path("autocomplete/usernames", views.usernames, name="usernames"),
]
