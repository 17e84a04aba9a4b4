from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accounts import services
from accounts.api import serializers as s
from accounts.models import OtpType
from accounts.tokens import refresh_token_revoke, refresh_token_rotate, token_pair_issue
from config.api.parsers import FORM_BODY_BYTES, UPLOAD_BODY_BYTES
from config.api.responses import success_response
from config.http import client_ip

ERRORS = {
    400: OpenApiResponse(description="Invalid input (error envelope)."),
    429: OpenApiResponse(description="Too many attempts; Retry-After says when to try again."),
}


def _tokens_body(user, pair=None) -> dict:
    pair = pair or token_pair_issue(user=user)
    return {
        "access_token": pair.access,
        "refresh_token": pair.refresh,
        "token_type": "Bearer",
        "expires_in": int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds()),
        "user": s.UserSerializer(user).data,
    }


def _signed_in(request, user, message: str):
    services.user_login_record(
        user=user, ip=client_ip(request), user_agent=request.headers.get("User-Agent", "")
    )
    return success_response(_tokens_body(user), message=message)


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class PublicView(APIView):
    """Endpoints used before sign-in: a stale bearer header must not get in the way."""

    authentication_classes = []
    permission_classes = [AllowAny]
    max_body_bytes = FORM_BODY_BYTES


class RegisterView(PublicView):
    @extend_schema(
        tags=["auth"],
        request=s.RegisterSerializer,
        responses={
            201: s.RegisteredSerializer,
            409: OpenApiResponse(description="Email or phone taken."),
            **ERRORS,
        },
    )
    def post(self, request):
        data = _valid(s.RegisterSerializer, request)
        user = services.user_register(**data, ip=client_ip(request))
        return success_response(
            {"user": s.UserSerializer(user).data},
            message="Account created. Enter the codes we sent to your email and phone.",
            status=201,
        )


class LoginView(PublicView):
    @extend_schema(
        tags=["auth"],
        request=s.LoginSerializer,
        responses={
            200: s.TokensSerializer,
            202: OpenApiResponse(s.OtpRequiredSerializer, description="Two-factor: verify the emailed code."),
            401: OpenApiResponse(description="Incorrect email or password."),
            403: OpenApiResponse(description="Account disabled."),
            **ERRORS,
        },
    )
    def post(self, request):
        data = _valid(s.LoginSerializer, request)
        ip = client_ip(request)
        user = services.user_authenticate(email=data["email"], password=data["password"], ip=ip)
        if services.login_needs_otp(user=user):
            services.login_otp_issue(user=user, ip=ip)
            return success_response(
                {"otp_required": True, "email": user.email},
                message="Enter the sign-in code we sent to your email (verify-otp with type login).",
                status=202,
            )
        return _signed_in(request, user, "Signed in.")


class VerifyOtpView(PublicView):
    @extend_schema(
        tags=["auth"],
        request=s.VerifyOtpSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="VerifyOtpResult",
                serializers=[s.TokensSerializer, s.VerifiedSerializer],
                resource_type_field_name=None,
            ),
            **ERRORS,
        },
        description="type=email or phone verifies the address; type=login finishes a two-factor "
        "sign-in and returns tokens.",
    )
    def post(self, request):
        data = _valid(s.VerifyOtpSerializer, request)
        ip = client_ip(request)
        if data["type"] == OtpType.LOGIN:
            user = services.login_otp_verify(email=data["email"], code=data["code"], ip=ip)
            return _signed_in(request, user, "Signed in.")
        services.otp_verify(
            otp_type=data["type"], code=data["code"], email=data.get("email"), phone=data.get("phone"), ip=ip
        )
        noun = "phone number" if data["type"] == OtpType.PHONE else "email address"
        return success_response({"verified": True, "type": data["type"]}, message=f"Your {noun} is verified.")


class ResendOtpView(PublicView):
    @extend_schema(tags=["auth"], request=s.ResendOtpSerializer, responses={200: None, **ERRORS})
    def post(self, request):
        data = _valid(s.ResendOtpSerializer, request)
        services.otp_resend(
            otp_type=data["type"], email=data.get("email"), phone=data.get("phone"), ip=client_ip(request)
        )
        return success_response(None, message="If a code was due, a new one is on its way.")


class RefreshView(PublicView):
    @extend_schema(
        tags=["auth"],
        request=s.RefreshSerializer,
        responses={200: s.TokensSerializer, 401: OpenApiResponse(description="Invalid, expired or reused.")},
        description="Rotates the refresh token: the presented one stops working. Presenting a used one "
        "signs the user out everywhere.",
    )
    def post(self, request):
        data = _valid(s.RefreshSerializer, request)
        user, pair = refresh_token_rotate(raw=data["refresh_token"])
        return success_response(_tokens_body(user, pair), message="Tokens refreshed.")


class LogoutView(PublicView):
    @extend_schema(tags=["auth"], request=s.RefreshSerializer, responses={200: None})
    def post(self, request):
        data = _valid(s.RefreshSerializer, request)
        refresh_token_revoke(raw=data["refresh_token"])
        return success_response(None, message="Signed out.")


class ForgotPasswordView(PublicView):
    @extend_schema(tags=["auth"], request=s.ForgotPasswordSerializer, responses={200: None, **ERRORS})
    def post(self, request):
        data = _valid(s.ForgotPasswordSerializer, request)
        services.password_forgot(email=data["email"], ip=client_ip(request))
        return success_response(None, message=services.FORGOT_ANSWER)


class ResetPasswordView(PublicView):
    @extend_schema(tags=["auth"], request=s.ResetPasswordSerializer, responses={200: None, **ERRORS})
    def post(self, request):
        data = _valid(s.ResetPasswordSerializer, request)
        services.password_reset(**data, ip=client_ip(request))
        return success_response(None, message="Your password has been reset. Sign in with the new one.")


class MeView(APIView):
    max_body_bytes = UPLOAD_BODY_BYTES  # the avatar

    @extend_schema(tags=["users"], responses={200: s.UserSerializer})
    def get(self, request):
        return success_response(s.UserSerializer(request.user).data)

    @extend_schema(
        tags=["users"],
        request={
            "application/json": s.ProfileUpdateSerializer,
            "multipart/form-data": s.ProfileUpdateSerializer,
        },
        responses={200: s.UserSerializer, 409: OpenApiResponse(description="Phone number taken."), **ERRORS},
        description="A changed phone number is unverified until the code sent to it is entered.",
    )
    def put(self, request):
        data = _valid(s.ProfileUpdateSerializer, request)
        user = request.user
        if "avatar" in data:
            user = services.user_avatar_set(user=user, upload=data["avatar"])
        user = services.user_profile_update(
            user=user, full_name=data.get("full_name"), phone=data.get("phone"), ip=client_ip(request)
        )
        return success_response(s.UserSerializer(user).data, message="Profile updated.")

    patch = put

    @extend_schema(tags=["users"], request=s.DeleteAccountSerializer, responses={200: None, **ERRORS})
    def delete(self, request):
        data = _valid(s.DeleteAccountSerializer, request)
        services.user_delete(user=request.user, password=data["password"])
        return success_response(None, message="Your account has been deleted.")


class ChangePasswordView(APIView):
    @extend_schema(
        tags=["users"],
        request=s.ChangePasswordSerializer,
        responses={200: s.TokensSerializer, **ERRORS},
        description="Every other session and token ends; the response carries new tokens for this client.",
    )
    def post(self, request):
        data = _valid(s.ChangePasswordSerializer, request)
        services.password_change(user=request.user, **data)
        return success_response(_tokens_body(request.user), message="Password changed.")


class SettingsView(APIView):
    @extend_schema(tags=["users"], responses={200: s.UserSettingsSerializer})
    def get(self, request):
        return success_response(s.UserSettingsSerializer(services.user_settings_get(user=request.user)).data)

    @extend_schema(
        tags=["users"], request=s.UserSettingsSerializer, responses={200: s.UserSettingsSerializer}
    )
    def put(self, request):
        current = services.user_settings_get(user=request.user)
        data = _valid(s.UserSettingsSerializer, request, instance=current, partial=True)
        updated = services.user_settings_update(user=request.user, **data)
        return success_response(s.UserSettingsSerializer(updated).data, message="Settings saved.")

    patch = put
