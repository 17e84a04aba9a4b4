"""Pay on delivery with a deposit: a store's rules and each order's plan (orders/pod.py computes).

Tables of our own beside the seed's `orders` (README "The shared MySQL schema"): the other
backends insert orders without them, and an order with no plan row is paid in full up front.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models


def _money(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class DepositKind(models.TextChoices):
    PERCENT = "percent", "A percentage of the total"
    FIXED = "fixed", "A fixed amount"


class RefundPolicy(models.TextChoices):
    FULL = "full", "Refund the whole deposit"
    KEEP_DEPOSIT = "keep_deposit", "Keep the deposit"
    KEEP_PERCENT = "keep_percent", "Keep a percentage of the deposit"


class PodSettings(models.Model):
    """Whether a store takes pay on delivery, where, and on what deposit and refund terms.

    `areas` is a list of {"state": …, "lga": …}; an empty `lga` covers the whole state. A store
    without a row does not offer pay on delivery.
    """

    store = models.OneToOneField("stores.Store", on_delete=models.CASCADE, related_name="pod_settings")
    enabled = models.BooleanField(default=False)
    areas = models.JSONField(default=list, blank=True)
    deposit_kind = models.CharField(max_length=10, choices=DepositKind.choices, default=DepositKind.PERCENT)
    deposit_value = _money(default=30)
    refund_policy = models.CharField(max_length=15, choices=RefundPolicy.choices, default=RefundPolicy.FULL)
    # With KEEP_PERCENT: the share of the deposit the store keeps when the order is cancelled.
    refund_keep_percent = _money(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders_pod_settings"
        verbose_name = "pay-on-delivery settings"
        verbose_name_plural = "pay-on-delivery settings"

    def __str__(self):
        return f"Pay on delivery of {self.store_id}"


class BalanceMethod(models.TextChoices):
    CASH = "cash", "Cash at the door"
    TRANSFER = "transfer", "Transfer to a Monnify account"


class OrderPaymentPlan(models.Model):
    """An order paid as a deposit now and the balance on delivery.

    The amounts and the refund terms are copied from the store's settings when the order is
    placed: what the shopper agreed to at checkout is what applies, whatever changes later.
    `deposit_amount + balance_amount == orders.total` to the kobo (a check constraint cannot
    read the other table, so `orders/pod.py` is the one place that splits a total).
    """

    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, primary_key=True, related_name="payment_plan"
    )
    deposit_amount = _money()
    balance_amount = _money()
    refund_policy = models.CharField(max_length=15, choices=RefundPolicy.choices)
    refund_keep_percent = _money(default=0)
    deposit_paid_at = models.DateTimeField(null=True, blank=True)
    balance_paid_at = models.DateTimeField(null=True, blank=True)
    balance_method = models.CharField(max_length=10, choices=BalanceMethod.choices, blank=True, default="")
    # The payment reference of the Monnify account opened at the door for the balance.
    balance_reference = models.CharField(max_length=100, blank=True, default="")
    balance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_payment_plans"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deposit_amount__gt=0, balance_amount__gt=0), name="orders_plan_amounts"
            )
        ]
        indexes = [models.Index(fields=["deposit_paid_at", "balance_paid_at"], name="orders_plan_paid")]

    def __str__(self):
        return f"Pay on delivery plan of {self.order_id}"

    @property
    def balance_due(self):
        """What is still to collect at the door (0 once the balance is recorded)."""
        return self.balance_amount if self.balance_paid_at is None else Decimal("0.00")
