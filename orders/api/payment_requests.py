"""Payment requests over the API: a merchant's order for a shopper, and sending its pay link."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from config.api.responses import success_response
from orders import selectors, services
from orders.api.serializers import checkout_customer
from orders.pricing import DeliveryMethod
from stores.selectors import store_get_owned


class PaymentRequestSerializer(serializers.Serializer):
    store_id = serializers.CharField(max_length=36)
    customer_name = serializers.CharField(max_length=255)
    customer_phone = serializers.CharField(max_length=30)
    customer_email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.CHOICES, default=DeliveryMethod.DELIVERY)
    delivery_address = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    delivery_state = serializers.CharField(max_length=100, required=False, allow_blank=True)
    delivery_lga = serializers.CharField(max_length=100, required=False, allow_blank=True)
    items = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=50)


class PaymentRequestCreatedSerializer(serializers.Serializer):
    id = serializers.CharField()
    order_number = serializers.CharField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    pay_link = serializers.CharField(allow_null=True)
    whatsapp_url = serializers.CharField(allow_null=True)


class PayLinkSendSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=[("sms", "SMS"), ("email", "Email")])


def _created(order) -> dict:
    return {
        "id": order.pk,
        "order_number": order.order_number,
        "total": order.total,
        "pay_link": selectors.order_pay_link(order),
        "whatsapp_url": selectors.order_whatsapp_url(order),
    }


class PaymentRequestCreateApi(APIView):
    @extend_schema(
        summary="Create an order for a shopper (a payment request)",
        description="Placed like a checkout (database prices, stock held, a transfer account "
        "opened); the answer carries the pay link and a wa.me link with the request prefilled.",
        request=PaymentRequestSerializer,
        responses={201: PaymentRequestCreatedSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request):
        serializer = PaymentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        store = store_get_owned(user=request.user, store_id=data["store_id"])
        order = services.payment_request_create(
            store=store,
            actor=request.user,
            customer=checkout_customer(data),
            lines=data["items"],
            delivery_method=data["delivery_method"],
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
        return success_response(
            PaymentRequestCreatedSerializer(_created(order)).data,
            message="Payment request created",
            status=201,
        )


class PayLinkSendApi(APIView):
    @extend_schema(
        summary="Send an unpaid order's pay link to the shopper by SMS or email",
        description=f"Up to {services.MAX_SENDS} times a channel; the same Idempotency-Key sends once.",
        request=PayLinkSendSerializer,
        responses=inline_serializer(
            "PayLinkSent", {"channel": serializers.CharField(), "status": serializers.CharField()}
        ),
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request, order_id):
        order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
        serializer = PayLinkSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        log = services.payment_request_send(
            order_id=order.pk,
            channel=serializer.validated_data["channel"],
            actor=request.user,
            request_key=(request.headers.get("Idempotency-Key") or "")[:64],
        )
        return success_response({"channel": log.channel, "status": log.status}, message="Pay link sent")
