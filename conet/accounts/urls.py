from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from conet.accounts import views
from conet.accounts.forms import ThrottledPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ThrottledPasswordResetForm,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:login"),
        ),
        name="password_reset_confirm",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("invitations/accept/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("accounts/my-data/", views.my_data, name="my_data"),
    path("accounts/my-data/download/", views.my_data_download, name="my_data_download"),
    path("accounts/tokens/", views.api_tokens, name="api_tokens"),
    path("accounts/tokens/<int:pk>/delete/", views.api_token_delete, name="api_token_delete"),
]
