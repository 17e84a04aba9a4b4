"""A store's pay-on-delivery settings through the API (the merchant's own stores only)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from config.api.responses import success_response
from orders import pod, services
from orders.models import DepositKind, PodSettings, RefundPolicy
from stores.selectors import store_get_owned


class PodAreaSerializer(serializers.Serializer):
    state = serializers.CharField(max_length=100)
    lga = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class PodSettingsSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    areas = PodAreaSerializer(
        many=True, required=False, help_text="States (lga empty: the whole state) or single LGAs."
    )
    deposit_kind = serializers.ChoiceField(choices=DepositKind.choices, required=False)
    deposit_value = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="percent: 1 to 99 (rounded half up to the kobo per order); fixed: at least 500.00.",
    )
    refund_policy = serializers.ChoiceField(choices=RefundPolicy.choices, required=False)
    refund_keep_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, help_text="With keep_percent: 1 to 90."
    )
    refund_policy_text = serializers.SerializerMethodField()

    def get_refund_policy_text(self, settings) -> str:
        """The policy in the words shoppers read at checkout."""
        return pod.policy_text(policy=settings.refund_policy, keep_percent=settings.refund_keep_percent)


class PodSettingsApi(GenericAPIView):
    serializer_class = PodSettingsSerializer

    @extend_schema(summary="A store's pay-on-delivery settings", tags=["orders"])
    def get(self, request, store_id):
        store = store_get_owned(user=request.user, store_id=store_id)
        settings = pod.pod_settings_for(store) or PodSettings(store=store)
        return success_response(PodSettingsSerializer(settings).data)

    @extend_schema(
        summary="Change a store's pay-on-delivery settings",
        description="Anything invalid (a fixed deposit under ₦500, a percentage over 100, an unknown "
        "state or LGA, turning it on without an area) is 400 and changes nothing.",
        tags=["orders"],
    )
    def patch(self, request, store_id):
        store = store_get_owned(user=request.user, store_id=store_id)
        serializer = PodSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "areas" in changes:
            changes["areas"] = [dict(area) for area in changes["areas"]]
        settings = services.pod_settings_update(store=store, **changes)
        return success_response(
            PodSettingsSerializer(settings).data, message="Pay-on-delivery settings saved"
        )
