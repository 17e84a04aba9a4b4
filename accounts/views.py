"""Sign-in pages (/auth/…) and the account pages of the dashboard (/dashboard/account/…)."""

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts import forms, services
from accounts.models import OtpType, User
from config.errors import InvalidInput, ServiceError
from config.http import client_ip

PENDING_LOGIN = "accounts:pending-login"
BACKEND = "accounts.backends.EmailBackend"


def _show_error(form, error) -> None:
    """A service's refusal on the form: field errors by field, everything else at the top."""
    if isinstance(error, InvalidInput):
        for field, field_errors in error.details.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        fields = [field for field in error.details if field in form.fields]
        form.add_error(fields[0] if fields else None, error.message)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard:home")


def _sign_in(request, user: User, *, remember: bool, alert: bool = True):
    login(request, user, backend=BACKEND)
    # Without "remember me" the cookie ends with the browser; with it, SESSION_COOKIE_AGE.
    request.session.set_expiry(None if remember else 0)
    if alert:
        services.user_login_record(
            user=user, ip=client_ip(request), user_agent=request.headers.get("User-Agent", "")
        )


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = forms.LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_authenticate(
                email=data["email"], password=data["password"], ip=client_ip(request)
            )
            if services.login_needs_otp(user=user):
                services.login_otp_issue(user=user, ip=client_ip(request))
                request.session[PENDING_LOGIN] = {
                    "email": user.email,
                    "remember": data["remember"],
                    "next": _next_url(request),
                }
                return redirect("accounts:login-code")
            _sign_in(request, user, remember=data["remember"])
            return redirect(_next_url(request))
        except ServiceError as error:
            _show_error(form, error)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def login_code_view(request):
    pending = request.session.get(PENDING_LOGIN)
    if not pending:
        return redirect("accounts:login")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            services.otp_resend(otp_type=OtpType.LOGIN, email=pending["email"], ip=client_ip(request))
            messages.success(request, "We sent you a new code.")
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("accounts:login-code")
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_otp_verify(
                email=pending["email"], code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except ServiceError as error:
            _show_error(form, error)
        else:
            del request.session[PENDING_LOGIN]
            _sign_in(request, user, remember=pending["remember"])
            return redirect(pending["next"])
    return render(request, "accounts/login_code.html", {"form": form, "email": pending["email"]})


@require_http_methods(["GET", "POST"])
def signup_view(request):
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                phone=data["phone"],
                ip=client_ip(request),
            )
        except ServiceError as error:
            _show_error(form, error)
        else:
            # Straight after sign-up: no sign-in alert (Django's login() records last_login_at).
            _sign_in(request, user, remember=False, alert=False)
            messages.success(request, "Welcome! Enter the codes we sent to your email and your phone.")
            return redirect("accounts:verify")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def verify_view(request):
    """Codes for the signed-in user's email address and phone number."""
    user = request.user
    email_form = forms.CodeForm(prefix="email")
    phone_form = forms.CodeForm(prefix="phone")
    if request.method == "POST":
        otp_type = request.POST.get("type")
        if otp_type not in (OtpType.EMAIL, OtpType.PHONE):
            return redirect("accounts:verify")
        identity = {"email": user.email} if otp_type == OtpType.EMAIL else {"phone": user.phone}
        if request.POST.get("action") == "resend":
            try:
                services.otp_resend(otp_type=otp_type, ip=client_ip(request), **identity)
                messages.success(request, "We sent you a new code.")
            except ServiceError as error:
                messages.error(request, error.message)
            return redirect("accounts:verify")
        form = forms.CodeForm(request.POST, prefix=otp_type)
        if otp_type == OtpType.EMAIL:
            email_form = form
        else:
            phone_form = form
        if form.is_valid():
            try:
                services.otp_verify(
                    otp_type=otp_type, code=form.cleaned_data["code"], ip=client_ip(request), **identity
                )
            except ServiceError as error:
                _show_error(form, error)
            else:
                messages.success(
                    request,
                    f"Your {'email address' if otp_type == OtpType.EMAIL else 'phone number'} is verified.",
                )
                return redirect("accounts:verify")
    return render(request, "accounts/verify.html", {"email_form": email_form, "phone_form": phone_form})


@require_http_methods(["GET", "POST"])
def forgot_password_view(request):
    form = forms.ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_forgot(email=form.cleaned_data["email"], ip=client_ip(request))
        except ServiceError as error:
            _show_error(form, error)
        else:
            messages.success(request, services.FORGOT_ANSWER)
            return redirect(
                f"{reverse('accounts:password-reset')}?email={form.cleaned_data['email'].strip()}"
            )
    return render(request, "accounts/password_forgot.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reset_password_view(request):
    form = forms.ResetPasswordForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.password_reset(
                email=data["email"],
                code=data["code"],
                new_password=data["new_password"],
                ip=client_ip(request),
            )
        except ServiceError as error:
            _show_error(form, error)
        else:
            messages.success(request, "Your password has been reset. Sign in with the new one.")
            return redirect("accounts:login")
    return render(request, "accounts/password_reset.html", {"form": form})


@require_http_methods(["POST"])
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


# --- dashboard: /dashboard/account/ -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    user = request.user
    form = forms.ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={"full_name": user.full_name, "phone": user.phone},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        old_phone = user.phone
        try:
            if data["avatar"]:
                services.user_avatar_set(user=user, upload=data["avatar"])
            services.user_profile_update(
                user=user, full_name=data["full_name"], phone=data["phone"], ip=client_ip(request)
            )
        except ServiceError as error:
            user.refresh_from_db()
            _show_error(form, error)
        else:
            if user.phone != old_phone:
                messages.success(request, "Profile saved. Enter the code we sent to your new phone number.")
                return redirect("accounts:verify")
            messages.success(request, "Profile saved.")
            return redirect("dashboard:accounts_dashboard:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    current = services.user_settings_get(user=request.user)
    form = forms.SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_settings_update(
                user=request.user, **{field: form.cleaned_data[field] for field in services.SETTINGS_FIELDS}
            )
        except ServiceError as error:
            _show_error(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("dashboard:accounts_dashboard:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = forms.PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.password_change(
                user=request.user,
                current_password=data["current_password"],
                new_password=data["new_password"],
            )
        except ServiceError as error:
            _show_error(form, error)
        else:
            # Other sessions end (their hash no longer matches); this one carries on.
            update_session_auth_hash(request, request.user)
            messages.success(request, "Password changed. You have been signed out everywhere else.")
            return redirect("dashboard:accounts_dashboard:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_view(request):
    form = forms.DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=request.user, password=form.cleaned_data["password"])
        except ServiceError as error:
            _show_error(form, error)
        else:
            logout(request)
            messages.success(request, "Your account has been deleted.")
            return redirect("accounts:login")
    return render(request, "accounts/delete.html", {"form": form})
