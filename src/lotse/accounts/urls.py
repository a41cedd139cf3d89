from __future__ import annotations

from django.urls import path

from lotse.accounts import second_factor_views, security_key_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<str:secret>/", views.invitation_accept_view, name="invitation_accept"),
    path("team/", views.team, name="team"),
    path("organisations/<int:pk>/team/", views.organisation_team, name="organisation_team"),
    path(
        "team/invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="invitation_revoke"
    ),
    path("team/members/<int:pk>/active/", views.member_set_active, name="member_set_active"),
    path("second-factor/", second_factor_views.second_factor, name="second_factor"),
    path(
        "second-factor/verify/",
        second_factor_views.second_factor_verify_view,
        name="second_factor_verify",
    ),
    path(
        "second-factor/recovery-codes/",
        second_factor_views.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path(
        "second-factor/remove/",
        second_factor_views.second_factor_remove_view,
        name="second_factor_remove",
    ),
    path(
        "second-factor/security-keys/",
        security_key_views.security_keys,
        name="security_keys",
    ),
    path(
        "second-factor/security-keys/<int:pk>/remove/",
        security_key_views.security_key_remove_view,
        name="security_key_remove",
    ),
    path(
        "team/members/<int:pk>/second-factor/reset/",
        second_factor_views.member_second_factor_reset,
        name="member_second_factor_reset",
    ),
    path(
        "organisations/<int:pk>/second-factor-policy/",
        second_factor_views.organisation_second_factor_policy,
        name="second_factor_policy",
    ),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
