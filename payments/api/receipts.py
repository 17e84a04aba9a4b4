"""Receipts (the shopper, with the order's phone or email, or the merchant) and the public
payment verification behind /verify/<code>."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.api.responses import success_response
from config.errors import PermissionDenied
from config.money import kobo_text
from orders import tracking
from orders.selectors import order_get_by_number
from payments import services
from payments.receipts import receipt_payment, receipt_view, verification_get


class ReceiptLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    options = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)


class ReceiptSerializer(serializers.Serializer):
    order_number = serializers.CharField(source="order.order_number")
    status = serializers.SerializerMethodField()
    store_name = serializers.CharField(source="order.store.display_name")
    store_username = serializers.CharField(source="order.store.username")
    customer_name = serializers.CharField(source="order.customer_name")
    customer_phone = serializers.CharField(source="order.customer_phone")
    customer_email = serializers.CharField(source="order.customer_email", allow_null=True)
    items = ReceiptLineSerializer(source="lines", many=True)
    subtotal = serializers.DecimalField(source="order.subtotal", max_digits=12, decimal_places=2)
    discount = serializers.DecimalField(source="order.discount", max_digits=12, decimal_places=2)
    shipping_fee = serializers.DecimalField(source="order.shipping_fee", max_digits=12, decimal_places=2)
    service_fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(source="order.total", max_digits=12, decimal_places=2)
    amount_paid = serializers.DecimalField(source="payment.amount", max_digits=12, decimal_places=2)
    refunded_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    payment_method = serializers.CharField(source="method")
    monnify_reference = serializers.CharField(source="payment.monnify_reference", allow_null=True)
    payment_reference = serializers.CharField(source="payment.payment_reference")
    paid_at = serializers.DateTimeField(source="payment.paid_at")
    verify_url = serializers.CharField()
    receipt_url = serializers.CharField(source="page_url")
    pdf_url = serializers.CharField()

    def get_status(self, view) -> str:
        if view.fully_refunded:
            return "refunded"
        plan = view.pod_plan
        return "deposit_paid" if plan is not None and plan.balance_paid_at is None else "paid"


class VerificationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["paid", "deposit_paid", "refunded", "not_paid"])
    store_name = serializers.CharField()
    store_username = serializers.CharField()
    order_number = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid_at = serializers.DateTimeField(allow_null=True)
    method = serializers.CharField()
    refunded_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    balance_due = serializers.SerializerMethodField()

    def get_balance_due(self, verification) -> str | None:
        """Pay on delivery: what is still due at the door ("0.00" once collected); null otherwise."""
        plan = verification.pod_plan
        return None if plan is None else kobo_text(plan.balance_due)


class ReceiptApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A paid order's receipt",
        description=(
            "For the shopper with `contact` (the order's phone number or email; wrong guesses are "
            "limited as for tracking) or the store's owner with a bearer token. 404 for an unpaid order."
        ),
        parameters=[OpenApiParameter("contact", str, description="Phone or email on the order")],
        responses=ReceiptSerializer,
        tags=["receipts"],
    )
    def get(self, request, order_number):
        order = order_get_by_number(order_number=order_number)
        receipt_payment(order)
        owner = request.user.is_authenticated and request.user.pk == order.store.user_id
        contact = request.query_params.get("contact", "")
        if not owner and not (contact and tracking.track_contact_check(order=order, contact=contact)):
            raise PermissionDenied("Give the phone number or email used for the order to see its receipt.")
        view = receipt_view(order=order, receipt=services.receipt_issue(order=order))
        return success_response(ReceiptSerializer(view).data)


class VerificationApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Verify a receipt's payment (public, no personal data)",
        responses=VerificationSerializer,
        tags=["receipts"],
    )
    def get(self, request, code):
        return success_response(VerificationSerializer(verification_get(code=code)).data)
