from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code_view, name="login-code"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup_view, name="signup"),
    path("verify/", views.verify_view, name="verify"),
    path("password/forgot/", views.forgot_password_view, name="password-forgot"),
    path("password/reset/", views.reset_password_view, name="password-reset"),
]
