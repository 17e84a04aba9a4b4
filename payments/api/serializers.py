from rest_framework import serializers

from payments.models import Payment


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
        return (payment.metadata or {}).get("checkout_url")

    def get_amount_paid(self, payment) -> str | None:
        return ((payment.metadata or {}).get("monnify") or {}).get("amount_paid")

    def get_can_retry(self, payment) -> bool:
        """Monnify could not be reached when the payment started: the page offers "try again"."""
        return payment.status == "pending" and not payment.account_number
