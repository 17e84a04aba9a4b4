"""A URLconf for the API foundation tests: small views that raise each error class
through the real renderer, exception handler, parsers and paginator."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.models import User
from config.api.responses import success_response
from config.errors import Conflict, RateLimited


class ProbeSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=20)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class EchoView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        serializer = ProbeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return success_response(serializer.validated_data, message="Echoed", status=201)


class PrivateView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return success_response({"email": request.user.email})


class StaffView(APIView):
    permission_classes = [IsAdminUser]

    def get(self, request):
        return success_response({})


class ConflictView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        raise Conflict("That email is already registered.", details={"email": ["taken"]})


class LimitedView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        raise RateLimited("Too many attempts. Try again in 42 seconds.", retry_after=42)


class OneAMinuteThrottle(AnonRateThrottle):
    rate = "1/min"
    scope = "probe"


class ThrottledView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [OneAMinuteThrottle]

    def get(self, request):
        return success_response({"ok": True})


class UserRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["email", "full_name", "email_verified"]


class UserListView(ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = UserRowSerializer

    def get_queryset(self):
        return User.objects.order_by("email")


class BrokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/probe/echo", EchoView.as_view()),
    path("api/v1/probe/private", PrivateView.as_view()),
    path("api/v1/probe/staff", StaffView.as_view()),
    path("api/v1/probe/conflict", ConflictView.as_view()),
    path("api/v1/probe/limited", LimitedView.as_view()),
    path("api/v1/probe/throttled", ThrottledView.as_view()),
    path("api/v1/probe/users", UserListView.as_view()),
    path("api/v1/probe/broken", BrokenView.as_view()),
    path("", include("config.urls")),
]
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
