"""WhatsApp endpoints: "order on WhatsApp" (public) and the merchant's message templates."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.api.responses import success_response
from orders import selectors, services, whatsapp
from orders.api.serializers import CheckoutSerializer, PlacedOrderSerializer, checkout_customer
from stores.selectors import store_get_for_checkout


class WhatsAppOrderSerializer(serializers.Serializer):
    order = PlacedOrderSerializer()
    whatsapp_url = serializers.CharField(help_text="https://wa.me/<store number>?text=<the order, prefilled>")


class WhatsAppMessageSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["payment_reminder", "shipped", "ready_for_pickup", "delivered"])
    title = serializers.CharField(help_text="What the template is for, e.g. Payment reminder")
    text = serializers.CharField()
    whatsapp_url = serializers.CharField()


class WhatsAppOrderApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Order on WhatsApp (public): place the order and get the store's prefilled chat link",
        description=(
            "The same body as POST /orders (the coupon is ignored). The order is placed as a checkout "
            "(stock held, payment opened) and marked as from WhatsApp; open `whatsappUrl` to send it "
            "to the store. 409 `whatsapp_ordering_off` when the store does not take WhatsApp orders."
        ),
        request=CheckoutSerializer,
        responses={201: WhatsAppOrderSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request):
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = request.headers.get("Idempotency-Key")
        placed = services.order_place_on_whatsapp(
            store=store_get_for_checkout(store_id=data.get("store_id"), username=data.get("store_username")),
            customer=checkout_customer(data),
            lines=data["items"],
            idempotency_key=f"whatsapp:{key}" if key else None,
            delivery_method=data["delivery_method"],
        )
        order = selectors.order_get_by_number(order_number=placed.order.order_number)
        body = {"order": PlacedOrderSerializer(order).data, "whatsapp_url": placed.whatsapp_url}
        return success_response(body, message="Order placed", status=201)


class OrderWhatsAppMessagesApi(APIView):
    @extend_schema(
        summary="Message templates for WhatsApping the customer of one of the caller's orders",
        responses=inline_serializer("WhatsAppMessages", {"messages": WhatsAppMessageSerializer(many=True)}),
    )
    def get(self, request, order_id):
        order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
        messages = [
            {
                "key": message.key,
                "title": message.label,
                "text": message.text,
                "whatsapp_url": whatsapp.wa_link(order.customer_phone, message.text),
            }
            for message in whatsapp.customer_messages(order)
        ]
        return success_response({"messages": WhatsAppMessageSerializer(messages, many=True).data})
