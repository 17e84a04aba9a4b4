from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.api.responses import success_response
from payments import selectors, services
from payments.api.serializers import PaymentPublicSerializer


class MonnifyWebhookView(APIView):
    """Monnify's notifications. Authenticated by the monnify-signature HMAC, not by a user."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        request={"application/json": {"type": "object"}},
        responses={
            200: OpenApiResponse(description="Recorded (or already recorded)"),
            401: OpenApiResponse(description="Missing or invalid monnify-signature"),
            403: OpenApiResponse(description="Source address not in MONNIFY_WEBHOOK_ALLOWED_IPS"),
        },
        tags=["webhooks"],
    )
    def post(self, request):
        # The raw bytes, untouched: the signature covers them exactly.
        event = services.monnify_webhook_receive(
            body=request._request.body, headers=request.headers, remote_addr=request.META.get("REMOTE_ADDR")
        )
        return success_response(None, message="Received" if event else "Already received")


class PaymentVerifyView(APIView):
    """A payment's state for the shopper's payment page (public: the reference is the key)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses=PaymentPublicSerializer, tags=["payments"])
    def get(self, request, reference):
        payment = selectors.payment_get_public(reference=reference)
        return success_response(PaymentPublicSerializer(payment).data)
