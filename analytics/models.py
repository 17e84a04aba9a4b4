"""Daily rollups of each store's orders, in the store's time zone (Africa/Lagos).

They are derived data: `analytics.rollups` recomputes a (store, day) from the raw orders,
payments and refunds, and the catch-up task (`analytics.services.rollups_catch_up`) keeps
them in step by recomputing the days whose orders changed. Nothing else writes here.
"""

from django.db import models

from orders.models import money
from stores.models import Store


class StoreDay(models.Model):
    """One store's figures for one Lagos calendar day.

    Orders count on the day they were placed. A sale is an order that is paid and not
    cancelled; `revenue` is the sum of those orders' totals (what shoppers paid, before the
    platform fee) and `fees` the platform fee on them. Refunds count on the day they were
    started, as money returned (a refund that failed is not one).
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    day = models.DateField()
    orders_placed = models.PositiveIntegerField(default=0)
    sales = models.PositiveIntegerField(default=0)
    revenue = money(default=0)
    fees = money(default=0)
    discounts = money(default=0)
    shipping = money(default=0)
    items_sold = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    refunds = models.PositiveIntegerField(default=0)
    refunded = money(default=0)

    class Meta:
        db_table = "analytics_store_days"
        ordering = ["store_id", "day"]
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="analytics_store_day_unique")]

    def __str__(self):
        return f"{self.store_id} {self.day}"


class Dimension(models.TextChoices):
    PRODUCT = "product", "Product"
    CATEGORY = "category", "Category"
    STATE = "state", "State"
    LGA = "lga", "LGA"
    METHOD = "method", "Payment method"
    COUPON = "coupon", "Coupon"
    CUSTOMER = "customer", "Customer"
    # Every order placed that day by its current status (unpaid and cancelled ones too).
    STATUS = "status", "Order status"
    # Payments of that day's orders that wait for the merchant (short, late, overpaid, reversed).
    FLAG = "flag", "Flagged payment"


class DayBreakdown(models.Model):
    """A store's sales of one day split by one dimension: per product, per customer phone, …

    `key` identifies the member (a product id, a phone number, a state); `label` is how it
    read on the latest order of the day (a product's name as sold, a customer's name).
    Sales only, except the status and flag dimensions, which count every order.

    Customers are counted per store: a phone that buys from two of a merchant's stores is a
    customer of each.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    day = models.DateField()
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.CharField(max_length=255)
    label = models.CharField(max_length=255, blank=True, default="")
    orders = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    revenue = money(default=0)
    discount = money(default=0)
    # Customer rows only: the customer's first day with a sale at this store (a new customer),
    # and the day of their sale before this one (none for the first). A period's distinct
    # customers are then its rows whose previous day falls before the period: an index
    # range count, not a DISTINCT over every customer of the period.
    first_purchase = models.BooleanField(default=False)
    previous_day = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "analytics_day_breakdowns"
        ordering = ["store_id", "dimension", "day", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "dimension", "day", "key"], name="analytics_breakdown_unique"
            ),
        ]
        # The unique key serves a period's totals; this one finds a member's days (a
        # customer's first purchase, a product's lifetime figures).
        # (`orders` completes it for a product's lifetime orders, read from the index alone.)
        indexes = [
            models.Index(
                fields=["store", "dimension", "key", "day", "orders"], name="analytics_breakdown_lifetime"
            ),
            # Counts a period's customers, new and all, from the index alone.
            models.Index(
                fields=["store", "dimension", "day", "previous_day"], name="analytics_breakdown_span"
            ),
        ]

    def __str__(self):
        return f"{self.store_id} {self.day} {self.dimension}={self.key}"


class MonthBreakdown(models.Model):
    """The day breakdowns of one calendar month added up: (store, month, dimension, member).

    `month` is the month's first day; `label` the greatest of its days' labels, as a period's
    reports show. A long period reads its whole months here and only its partial months' days
    from the day breakdowns (`analytics.selectors`), so "this year" groups about a twelfth of
    the rows. Kept by the same recomputation as the day rows (`analytics.services`): each
    touched member of each touched month is summed again from its days.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    month = models.DateField()
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.CharField(max_length=255)
    label = models.CharField(max_length=255, blank=True, default="")
    orders = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    revenue = money(default=0)
    discount = money(default=0)

    class Meta:
        db_table = "analytics_month_breakdowns"
        ordering = ["store_id", "dimension", "month", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "dimension", "month", "key"], name="analytics_month_unique"
            ),
        ]
        indexes = [
            # A member's months (its lifetime orders from the index alone, and the catch-up's
            # recomputation of the members it touched).
            models.Index(
                fields=["store", "dimension", "key", "month", "orders"], name="analytics_month_lifetime"
            ),
        ]

    def __str__(self):
        return f"{self.store_id} {self.month:%Y-%m} {self.dimension}={self.key}"


class Watermark(models.Model):
    """How far the catch-up has read the orders, payments and refunds tables (by updated_at).

    Its one row is also the lock that lets only one catch-up or rebuild write at a time.
    """

    name = models.CharField(max_length=40, unique=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "analytics_watermarks"

    def __str__(self):
        return f"{self.name}: {self.reached_at}"
