from django.urls import path

from archive.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login", views.ThrottledLoginView.as_view(), name="login"),
    path("logout", views.LogoutView.as_view(), name="logout"),
    path("signup", views.signup, name="signup"),
    # The Archive of Our Own's addresses for a forgotten password.
    path("password/new", views.ForgottenPasswordView.as_view(), name="password_reset"),
    path("password/sent", views.ForgottenPasswordSentView.as_view(), name="password_reset_done"),
    path("password/edit/<text:uidb64>/<text:token>", views.NewPasswordView.as_view(), name="password_reset_confirm"),
    path("password/changed", views.NewPasswordSetView.as_view(), name="password_reset_complete"),
    path("<text:username>/change_password", views.change_password, name="change_password"),
    path("<text:username>/change_email", views.change_email, name="change_email"),
    path("<text:username>/delete", views.delete_account, name="delete"),
    path("<text:username>/confirm_email/resend", views.resend_confirmation, name="resend_confirmation"),
    # After the account's own pages, so an account named "confirm_email" still reaches them (a
    # token is never one of their words).
    path("confirm_email/<text:token>", views.confirm_email, name="confirm_email"),
]
