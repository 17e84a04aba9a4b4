from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="auth-register"),
    path("auth/login", views.LoginView.as_view(), name="auth-login"),
    path("auth/verify-otp", views.VerifyOtpView.as_view(), name="auth-verify-otp"),
    path("auth/resend-otp", views.ResendOtpView.as_view(), name="auth-resend-otp"),
    path("auth/refresh", views.RefreshView.as_view(), name="auth-refresh"),
    path("auth/logout", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/forgot-password", views.ForgotPasswordView.as_view(), name="auth-forgot-password"),
    path("auth/reset-password", views.ResetPasswordView.as_view(), name="auth-reset-password"),
    path("users/me", views.MeView.as_view(), name="users-me"),
    path("users/me/settings", views.SettingsView.as_view(), name="users-me-settings"),
    path("users/change-password", views.ChangePasswordView.as_view(), name="users-change-password"),
]
