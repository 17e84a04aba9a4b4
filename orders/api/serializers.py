from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from config.money import kobo_text
from config.site_url import site_url
from orders.models import (
    Coupon,
    CouponKind,
    Customer,
    DeliveryRate,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    PaymentStatus,
)
from orders.pricing import DeliveryMethod, fee_charged_to_customer
from orders.selectors import payment_open_for_order
from orders.services import COUPON_FIELDS


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = [
            "id",
            "product_id",
            "product_name",
            "product_image",
            "product_price",
            "quantity",
            "subtotal",
            "variant_selection",
        ]


class OrderEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.full_name", default=None)

    class Meta:
        model = OrderEvent
        fields = ["status", "note", "actor_name", "created_at"]


def _plan(order):
    try:
        return order.payment_plan
    except ObjectDoesNotExist:
        return None


class PaymentPlanFields(serializers.Serializer):
    """Pay on delivery on an order: `paymentPlan` is "pay_now" (the total up front) or
    "pay_on_delivery" (`depositAmount` now, `balanceDue` at the door; null for pay_now)."""

    payment_plan = serializers.SerializerMethodField()
    deposit_amount = serializers.SerializerMethodField()
    deposit_paid = serializers.SerializerMethodField()
    balance_due = serializers.SerializerMethodField()

    def get_payment_plan(self, order) -> str:
        return "pay_on_delivery" if _plan(order) else "pay_now"

    def get_deposit_amount(self, order) -> str | None:
        plan = _plan(order)
        return None if plan is None else kobo_text(plan.deposit_amount)

    def get_deposit_paid(self, order) -> bool | None:
        plan = _plan(order)
        return None if plan is None else plan.deposit_paid_at is not None

    def get_balance_due(self, order) -> str | None:
        """What is still to collect on delivery ("0.00" once recorded)."""
        plan = _plan(order)
        return None if plan is None else kobo_text(plan.balance_due)


PLAN_FIELDS = ["payment_plan", "deposit_amount", "deposit_paid", "balance_due"]


class PublicOrderSerializer(PaymentPlanFields, serializers.ModelSerializer):
    """What a shopper may see of an order: no merchant-only figures, no personal details."""

    store_username = serializers.CharField(source="store.username")
    store_name = serializers.CharField(source="store.display_name")
    items = OrderItemSerializer(source="order_items", many=True)
    service_fee = serializers.SerializerMethodField()
    timeline = OrderEventSerializer(source="events", many=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "order_number",
            "store_username",
            "store_name",
            "status",
            "payment_status",
            "items",
            "subtotal",
            "discount",
            "shipping_fee",
            "service_fee",
            "total",
            *PLAN_FIELDS,
            "timeline",
            "created_at",
        ]

    def get_service_fee(self, order) -> str:
        """The platform fee, when the shopper paid it on top (AGM_FEE_BEARER=customer)."""
        return str(fee_charged_to_customer(order))


class OrderCustomerSerializer(serializers.ModelSerializer):
    delivery_method = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "customer_name",
            "customer_phone",
            "customer_email",
            "delivery_method",
            "delivery_address",
            "delivery_state",
            "delivery_lga",
            "notes",
        ]

    def get_delivery_method(self, order) -> str:
        address = order.customer_address if isinstance(order.customer_address, dict) else {}
        return address.get("delivery_method") or DeliveryMethod.DELIVERY


class PlacedOrderSerializer(PublicOrderSerializer):
    """The answer to the shopper who placed the order (and to a retry of the same request)."""

    customer = OrderCustomerSerializer(source="*")
    payment = serializers.SerializerMethodField()

    class Meta(PublicOrderSerializer.Meta):
        fields = [*PublicOrderSerializer.Meta.fields, "customer", "payment"]

    @extend_schema_field(
        inline_serializer(
            "OrderPaymentLink",
            {
                "reference": serializers.CharField(),
                "pay_url": serializers.CharField(),
                "verify_url": serializers.CharField(),
            },
            allow_null=True,
        )
    )
    def get_payment(self, order) -> dict | None:
        """Where the shopper pays: the payment page and the public verify endpoint."""
        payment = payment_open_for_order(order=order)
        if payment is None:
            return None
        reference = payment.payment_reference
        return {
            "reference": reference,
            "pay_url": f"{site_url()}/{order.store.username}/pay/{reference}",
            "verify_url": f"{site_url()}/api/v1/payments/verify/{reference}",
        }


class OrderSerializer(PlacedOrderSerializer):
    """The merchant's view of an order."""

    store_id = serializers.CharField()

    class Meta(PlacedOrderSerializer.Meta):
        fields = [*PlacedOrderSerializer.Meta.fields, "agm_fee", "store_id", "updated_at"]


class OrderListSerializer(PaymentPlanFields, serializers.ModelSerializer):
    store_username = serializers.CharField(source="store.username")
    item_count = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "order_number",
            "store_id",
            "store_username",
            "customer_name",
            "customer_phone",
            "customer_email",
            "status",
            "payment_status",
            "subtotal",
            "discount",
            "shipping_fee",
            "agm_fee",
            "total",
            *PLAN_FIELDS,
            "item_count",
            "created_at",
        ]

    def get_item_count(self, order) -> int:
        return (
            sum(item.get("quantity", 0) for item in order.items if isinstance(item, dict))
            if isinstance(order.items, list)
            else 0
        )


class OrderFilterSerializer(serializers.Serializer):
    store = serializers.CharField(required=False, max_length=36)
    status = serializers.ChoiceField(required=False, choices=OrderStatus.choices)
    payment_status = serializers.ChoiceField(required=False, choices=PaymentStatus.choices)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    q = serializers.CharField(required=False, max_length=100)


class CheckoutSerializer(serializers.Serializer):
    """A public checkout. Lines are checked by the service (it names the product at fault);
    prices are the database's, a `price` sent with a line must match it."""

    store_username = serializers.CharField(required=False, max_length=100)
    store_id = serializers.CharField(required=False, max_length=36)
    customer_name = serializers.CharField(max_length=255)
    customer_phone = serializers.CharField(max_length=30)
    customer_email = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=255)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.CHOICES, default=DeliveryMethod.DELIVERY)
    delivery_address = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=2000
    )
    delivery_state = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    delivery_lga = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    notes = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=2000)
    coupon_code = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40)
    items = serializers.ListField(child=serializers.DictField(), allow_empty=False, max_length=50)
    total = serializers.CharField(required=False, allow_null=True, max_length=30)
    payment_plan = serializers.ChoiceField(
        choices=["pay_now", "pay_on_delivery"],
        default="pay_now",
        help_text="pay_on_delivery: a deposit now, the balance at the door, where the store offers it "
        "for the delivery state and LGA (else 400 pay_on_delivery_unavailable).",
    )
    deposit = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=30,
        help_text="With pay_on_delivery: the deposit the shopper was shown; a different one is 400 "
        "deposit_mismatch.",
    )

    def validate(self, attrs):
        if not attrs.get("store_username") and not attrs.get("store_id"):
            raise serializers.ValidationError({"store_username": "Give storeUsername or storeId."})
        return attrs


def checkout_customer(data: dict) -> dict:
    """The shopper's details from a validated checkout (or payment request), as the order
    services take them."""
    return {
        "name": data["customer_name"],
        "phone": data["customer_phone"],
        "email": data.get("customer_email"),
        "address": data.get("delivery_address"),
        "state": data.get("delivery_state"),
        "lga": data.get("delivery_lga"),
        "notes": data.get("notes"),
    }


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CancelSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class DeliveryRateSerializer(serializers.ModelSerializer):
    store_id = serializers.CharField(max_length=36)
    lga = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)

    class Meta:
        model = DeliveryRate
        fields = ["id", "store_id", "state", "lga", "fee", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []


class DeliverySettingsSerializer(serializers.Serializer):
    default_fee = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    free_pickup = serializers.BooleanField()
    free_delivery_threshold = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )


class CouponSerializer(serializers.ModelSerializer):
    store_id = serializers.CharField(max_length=36)
    kind = serializers.ChoiceField(choices=CouponKind.choices)

    class Meta:
        model = Coupon
        fields = ["id", "store_id", *COUPON_FIELDS, "used_count", "created_at", "updated_at"]
        read_only_fields = ["id", "used_count", "created_at", "updated_at"]
        validators = []


class CustomerSerializer(serializers.ModelSerializer):
    store_id = serializers.CharField(read_only=True)

    class Meta:
        model = Customer
        fields = [
            "store_id",
            "phone",
            "name",
            "email",
            "orders_count",
            "total_spent",
            "first_order_at",
            "last_order_at",
        ]
        read_only_fields = fields
