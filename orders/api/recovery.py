"""The recovery API: a store's reminder settings and what they recovered (merchant), and the
checkout capture and unsubscribe a headless storefront needs (public)."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.api.responses import success_response
from orders import selectors, services
from stores.selectors import store_get_live, store_get_owned


class RecoverySettingsSerializer(serializers.Serializer):
    unpaid_reminders = serializers.IntegerField(min_value=0, max_value=3, required=False)
    unpaid_delay_minutes = serializers.IntegerField(min_value=5, max_value=35, required=False)
    expired_message = serializers.BooleanField(required=False)
    abandoned_checkouts = serializers.BooleanField(required=False)
    abandoned_reminders = serializers.IntegerField(min_value=0, max_value=3, required=False)
    abandoned_delay_minutes = serializers.IntegerField(min_value=15, max_value=1440, required=False)


class RecoverySummarySerializer(serializers.Serializer):
    messages_sent = serializers.IntegerField()
    messages_by_kind = serializers.DictField(child=serializers.IntegerField())
    orders_recovered = serializers.IntegerField()
    revenue_recovered = serializers.DecimalField(max_digits=14, decimal_places=2)


class RecoveryRangeSerializer(serializers.Serializer):
    store = serializers.CharField(max_length=36, required=False)
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)


class CheckoutCaptureSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, required=False, allow_blank=True)
    name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    email = serializers.CharField(max_length=255, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    consent = serializers.BooleanField(
        help_text="The shopper ticked the reminder box (its text: consentText)."
    )
    items = serializers.ListField(child=serializers.DictField(), max_length=50)


class UnsubscribeSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)


class RecoverySettingsApi(GenericAPIView):
    serializer_class = RecoverySettingsSerializer

    @extend_schema(summary="A store's recovery reminder settings")
    def get(self, request, store_id):
        store = store_get_owned(user=request.user, store_id=store_id)
        return success_response(RecoverySettingsSerializer(selectors.recovery_settings_for(store)).data)

    @extend_schema(summary="Change a store's recovery reminder settings")
    def patch(self, request, store_id):
        store = store_get_owned(user=request.user, store_id=store_id)
        serializer = RecoverySettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rules = services.recovery_settings_update(store=store, **serializer.validated_data)
        return success_response(RecoverySettingsSerializer(rules).data, message="Recovery settings saved")


class RecoverySummaryApi(APIView):
    @extend_schema(
        summary="Orders and revenue recovered by reminders",
        description="Over the caller's stores (or one, `store`), from `since` (default 30 days ago) "
        "to `until` (default now). An order counts once it is paid.",
        parameters=[OpenApiParameter(name, str) for name in ("store", "since", "until")],
        responses=RecoverySummarySerializer,
    )
    def get(self, request):
        serializer = RecoveryRangeSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        until = data.get("until") or timezone.now()
        since = data.get("since") or until - timedelta(days=30)
        stores = selectors.owner_stores(user=request.user)
        if data.get("store"):
            stores = [store_get_owned(user=request.user, store_id=data["store"])]
        summary = selectors.recovery_summary(
            store_ids=[store.pk for store in stores], since=since, until=until
        )
        return success_response(RecoverySummarySerializer(summary).data)


class CheckoutCaptureApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="Keep an unfinished checkout for one reminder (public)",
        description="Only kept when the store collects abandoned checkouts, `consent` is true and a "
        "valid phone or email is given; otherwise `token` is null and anything kept under the "
        "given token is withdrawn. Send the token back with each change.",
        request=CheckoutCaptureSerializer,
        responses=inline_serializer(
            "CheckoutCaptured",
            {"token": serializers.CharField(allow_null=True), "consent_text": serializers.CharField()},
        ),
    )
    def post(self, request, username):
        store = store_get_live(username=username)
        serializer = CheckoutCaptureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        checkout = services.checkout_capture(
            store=store,
            token=data.get("token") or None,
            name=data.get("name", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            consent=data["consent"],
            lines=data["items"],
        )
        return success_response(
            {"token": checkout.token if checkout else None, "consent_text": services.CONSENT_TEXT}
        )


class RecoveryUnsubscribeApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="Stop recovery messages to the address a message's unsubscribe link was sent to (public)",
        request=UnsubscribeSerializer,
        responses=inline_serializer("Unsubscribed", {"unsubscribed": serializers.BooleanField()}),
    )
    def post(self, request):
        serializer = UnsubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.recovery_opt_out(token=serializer.validated_data["token"])
        return success_response({"unsubscribed": True}, message="Unsubscribed")
