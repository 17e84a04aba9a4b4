from decimal import Decimal

from rest_framework import serializers

from payments.models import BankAccount, Payment, Payout, Refund
from payments.payment_state import PaymentState
from payments.selectors import payment_can_retry


class PaymentPublicSerializer(serializers.ModelSerializer):
    """What the shopper's payment page needs, and nothing personal."""

    reference = serializers.CharField(source="payment_reference")
    order_number = serializers.CharField(source="order.order_number")
    store_name = serializers.CharField(source="order.store.display_name")
    checkout_url = serializers.SerializerMethodField()
    amount_paid = serializers.SerializerMethodField()
    can_retry = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "reference",
            "status",
            "amount",
            "currency",
            "amount_paid",
            "account_number",
            "account_name",
            "bank_name",
            "expires_at",
            "paid_at",
            "checkout_url",
            "order_number",
            "store_name",
            "can_retry",
        ]

    def get_checkout_url(self, payment) -> str | None:
        return PaymentState.of(payment).checkout_url

    def get_amount_paid(self, payment) -> str | None:
        return PaymentState.of(payment).amount_paid_text

    def get_can_retry(self, payment) -> bool:
        """Monnify could not be reached when the payment started: the page offers "try again"."""
        return payment_can_retry(payment=payment)


class BankSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()


class AccountLookupSerializer(serializers.Serializer):
    account_number = serializers.RegexField(r"^\d{10}$", error_messages={"invalid": "Enter 10 digits."})
    bank_code = serializers.CharField(max_length=10)


class ResolvedAccountSerializer(serializers.Serializer):
    account_number = serializers.CharField()
    account_name = serializers.CharField()
    bank_code = serializers.CharField()
    bank_name = serializers.CharField()


class BankAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = BankAccount
        fields = [
            "id",
            "account_number",
            "account_name",
            "bank_code",
            "bank_name",
            "is_verified",
            "is_primary",
            "created_at",
        ]
        read_only_fields = fields


class BankAccountUpdateSerializer(serializers.Serializer):
    is_primary = serializers.BooleanField()

    def validate_is_primary(self, value):
        if not value:
            raise serializers.ValidationError("Make another account primary instead.")
        return value


class BalanceSerializer(serializers.Serializer):
    available = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    minimum_payout = serializers.DecimalField(max_digits=12, decimal_places=2)


class PayoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payout
        fields = [
            "id",
            "reference",
            "amount",
            "status",
            "bank_account",
            "account_number",
            "account_name",
            "bank_name",
            "failure_reason",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


class PayoutRequestSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    bank_account_id = serializers.CharField(required=False, allow_blank=False, max_length=36)


class MerchantPaymentSerializer(serializers.ModelSerializer):
    """A payment as its merchant sees it, with what Monnify reported and what needs attention."""

    reference = serializers.CharField(source="payment_reference")
    order_id = serializers.CharField(source="order.id")
    order_number = serializers.CharField(source="order.order_number")
    amount_paid = serializers.SerializerMethodField()
    needs_attention = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "reference",
            "monnify_reference",
            "order_id",
            "order_number",
            "amount",
            "currency",
            "amount_paid",
            "status",
            "payment_method",
            "needs_attention",
            "paid_at",
            "expires_at",
            "created_at",
        ]

    def get_amount_paid(self, payment) -> str | None:
        return PaymentState.of(payment).amount_paid_text

    def get_needs_attention(self, payment) -> str | None:
        """partly_paid, overpaid, late_payment, paid_after_cancel or reversed."""
        return PaymentState.of(payment).flag


class RefundRequestSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text="Naira to refund; defaults to the refundable amount (an overpayment's excess).",
    )
    reason = serializers.CharField(max_length=64, help_text="Sent to Monnify with the refund.")


class RefundSerializer(serializers.ModelSerializer):
    payment_id = serializers.CharField(source="payment.id")

    class Meta:
        model = Refund
        fields = [
            "id",
            "reference",
            "payment_id",
            "amount",
            "status",
            "reason",
            "failure_reason",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields
