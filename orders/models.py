from django.conf import settings
from django.db import models

from catalog.models import Product
from config.db import CurrentTimestamp, EnumField, SeedIndex, SeedTextField, TimestampField, uuid_primary_key
from stores.models import Store


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    CONFIRMED = "confirmed", "Confirmed"
    PROCESSING = "processing", "Processing"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    FULFILLED = "fulfilled", "Fulfilled"
    CANCELLED = "cancelled", "Cancelled"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"
    REFUNDED = "refunded", "Refunded"


def money(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class Order(models.Model):
    id = uuid_primary_key()
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="orders", db_index=False)
    order_number = models.CharField(max_length=50, unique=True)
    customer_name = models.CharField(max_length=255)
    customer_email = models.CharField(max_length=255, null=True, blank=True)
    customer_phone = models.CharField(max_length=20)
    customer_address = models.JSONField(null=True, blank=True)
    delivery_address = SeedTextField(null=True, blank=True)
    delivery_state = models.CharField(max_length=100, null=True, blank=True)
    delivery_lga = models.CharField(max_length=100, null=True, blank=True)
    items = models.JSONField()
    subtotal = money()
    discount = money(null=True, default=0, db_default=0)
    shipping_fee = money(null=True, default=0, db_default=0)
    agm_fee = money(default=0, db_default=0)
    total = money()
    status = EnumField(
        choices=OrderStatus.choices, null=True, default=OrderStatus.PENDING, db_default=OrderStatus.PENDING
    )
    payment_status = EnumField(
        choices=PaymentStatus.choices,
        null=True,
        default=PaymentStatus.PENDING,
        db_default=PaymentStatus.PENDING,
    )
    notes = SeedTextField(null=True, blank=True)
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())
    updated_at = TimestampField(null=True, auto_now=True, db_default=CurrentTimestamp(), on_update=True)
    deleted_at = TimestampField(null=True, blank=True)

    class Meta:
        db_table = "orders"
        ordering = ["-created_at"]
        indexes = [
            SeedIndex(fields=["store"], name="idx_store_id"),
            SeedIndex(fields=["order_number"], name="idx_order_number"),
            SeedIndex(fields=["customer_email"], name="idx_customer_email"),
            SeedIndex(fields=["customer_phone"], name="idx_customer_phone"),
            SeedIndex(fields=["status"], name="idx_status"),
            SeedIndex(fields=["payment_status"], name="idx_payment_status"),
            SeedIndex(fields=["created_at"], name="idx_created_at"),
            # Ours (the agm_ prefix; tests/schema/compare.py allows only these beyond the seed's):
            # each serves one shape of the dashboard's list in index order, so MariaDB reads
            # 25 rows instead of sorting a store's every order (README "Scale").
            models.Index(
                fields=["store", "deleted_at", "created_at", "order_number"], name="agm_orders_list"
            ),
            models.Index(
                fields=["store", "deleted_at", "status", "created_at", "order_number"],
                name="agm_orders_list_status",
            ),
            models.Index(
                fields=["store", "deleted_at", "payment_status", "created_at", "order_number"],
                name="agm_orders_list_payment",
            ),
            models.Index(fields=["store", "customer_phone", "created_at"], name="agm_orders_phone"),
            # Every column a name-prefix search filters, counts and sorts on: its count and its
            # page's keys are read from this index alone (the LIKE range, then a small sort).
            models.Index(
                fields=["store", "customer_name", "deleted_at", "created_at", "order_number"],
                name="agm_orders_name",
            ),
            # The customer catch-up reads the orders that changed since its last run.
            models.Index(fields=["updated_at"], name="agm_orders_updated"),
        ]

    def __str__(self):
        return self.order_number


class OrderItem(models.Model):
    id = uuid_primary_key()
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="order_items", db_index=False)
    product = models.ForeignKey(
        Product, on_delete=models.RESTRICT, related_name="order_items", db_index=False
    )
    product_name = models.CharField(max_length=255)
    product_image = models.CharField(max_length=500, null=True, blank=True)
    product_price = money()
    quantity = models.IntegerField()
    subtotal = money()
    variant_selection = models.JSONField(null=True, blank=True)
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())

    class Meta:
        db_table = "order_items"
        indexes = [
            SeedIndex(fields=["order"], name="idx_order_id"),
            SeedIndex(fields=["product"], name="idx_product_id"),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_name}"


# --- Tables the seed lacks (orders/migrations/0002) ---


class DeliverySettings(models.Model):
    """A store's delivery defaults; per-state and per-LGA fees live in DeliveryRate."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="delivery_settings")
    default_fee = money(default=0)
    free_pickup = models.BooleanField(
        default=True, help_text="Shoppers may collect their order from the store at no charge."
    )
    free_delivery_threshold = money(
        null=True, blank=True, help_text="Delivery is free when the subtotal reaches this amount."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders_delivery_settings"
        verbose_name_plural = "delivery settings"

    def __str__(self):
        return f"Delivery settings of {self.store_id}"


class DeliveryRate(models.Model):
    """The delivery fee to a state, or to one LGA of it (which overrides the state's fee).

    A state-wide rate has an empty `lga` rather than NULL: MySQL's unique keys treat NULLs
    as distinct, so a NULL would let a store hold two rates for the same state.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="delivery_rates")
    state = models.CharField(max_length=100)
    lga = models.CharField(max_length=100, blank=True, default="")
    fee = money()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders_delivery_rates"
        ordering = ["state", "lga"]
        constraints = [
            models.UniqueConstraint(fields=["store", "state", "lga"], name="orders_delivery_rate_unique"),
        ]

    def __str__(self):
        return f"{self.state} / {self.lga or 'all LGAs'}: {self.fee}"


class CouponKind(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage of the subtotal"
    FIXED = "fixed", "Fixed amount"


class Coupon(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="coupons")
    code = models.CharField(max_length=40, help_text="Stored in capitals; shoppers may type any case.")
    kind = models.CharField(max_length=10, choices=CouponKind.choices, default=CouponKind.PERCENTAGE)
    value = money()
    minimum_order = money(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    usage_limit = models.PositiveIntegerField(null=True, blank=True)
    per_customer_limit = models.PositiveIntegerField(null=True, blank=True)
    used_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders_coupons"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="orders_coupon_code_unique"),
        ]

    def __str__(self):
        return self.code


class CouponRedemption(models.Model):
    coupon = models.ForeignKey(Coupon, on_delete=models.CASCADE, related_name="redemptions")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="coupon_redemption")
    customer_phone = models.CharField(max_length=20)
    amount = money()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_coupon_redemptions"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["coupon", "customer_phone"], name="orders_redemption_phone")]

    def __str__(self):
        return f"{self.coupon_id} on {self.order_id}"


class OrderEvent(models.Model):
    """One entry of an order's timeline: a status change or a note, who made it, when."""

    id = models.BigAutoField(primary_key=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
    # The merchant's internal note: dashboard only, never shown or sent to the shopper.
    note = models.TextField(blank=True, default="")
    # What the shopper reads on the tracking page and in the status email/SMS.
    customer_message = models.TextField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_events"
        # The id breaks ties between events written within the same second.
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.order_id}: {self.status}"


class IdempotencyKey(models.Model):
    """A checkout already submitted under this key; the same key gives back the same order."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_idempotency_keys"
        constraints = [
            models.UniqueConstraint(fields=["store", "key"], name="orders_idempotency_key_unique"),
        ]

    def __str__(self):
        return self.key


class Booking(models.Model):
    """The appointment a bookings-store order holds (orders/bookings.py). It takes its time
    while the order is not cancelled; overlaps are refused under a lock on the store row."""

    id = models.BigAutoField(primary_key=True)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="bookings")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="booking")
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_bookings"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["store", "starts_at"], name="orders_booking_store_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="orders_booking_span"
            )
        ]

    def __str__(self):
        return f"{self.order_id} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class OrderChannel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"


class OrderSource(models.Model):
    """Where an order came from, when it was not the storefront's checkout or the API.

    A table of our own rather than a column on the seed's `orders`: the other backends insert
    orders without it, and an order with no row here came through the checkout.
    """

    order = models.OneToOneField(Order, on_delete=models.CASCADE, primary_key=True, related_name="source")
    channel = models.CharField(max_length=20, choices=OrderChannel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_sources"

    def __str__(self):
        return f"{self.order_id}: {self.channel}"


class Customer(models.Model):
    """One shopper of one store, by phone number: the summary the customers page lists.

    Kept by `orders/services/customers.py`: refreshed after each of our order writes commits,
    and caught up by a periodic task from `orders.updated_at` for rows written by the other
    backends that share the database. Every refresh recomputes the row from its orders, so
    running one twice, late or out of order gives the same row.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="customers")
    phone = models.CharField(max_length=20)
    name = models.CharField(max_length=255)
    email = models.CharField(max_length=255, blank=True, default="")
    orders_count = models.PositiveIntegerField(default=0)
    total_spent = money(default=0)
    first_order_at = models.DateTimeField(null=True)
    last_order_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders_customers"
        constraints = [
            models.UniqueConstraint(fields=["store", "phone"], name="orders_customer_phone_unique")
        ]
        indexes = [
            models.Index(fields=["store", "last_order_at"], name="orders_customer_recent"),
            models.Index(fields=["store", "name", "last_order_at"], name="orders_customer_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.phone})"


class CustomerSyncMark(models.Model):
    """How far the customer catch-up has read `orders.updated_at` (one row)."""

    synced_until = models.DateTimeField()

    class Meta:
        db_table = "orders_customer_sync"

    def __str__(self):
        return f"customers synced until {self.synced_until}"


# --- Recovering unpaid orders and abandoned checkouts (orders/services/recovery.py) ---


class RecoverySettings(models.Model):
    """How a store follows up orders left unpaid and checkouts left unfinished.

    A store without a row has the defaults below (`recovery_settings_for`): one reminder 30
    minutes after an order is placed, well before Monnify's 40-minute transfer account lapses;
    one "still available" message after an order expires; abandoned checkouts off until the
    merchant turns them on, because capturing a contact before the order needs consent.
    """

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="recovery_settings")
    unpaid_reminders = models.PositiveSmallIntegerField(
        default=1, help_text="Reminders for an unpaid order (0 turns them off)."
    )
    unpaid_delay_minutes = models.PositiveSmallIntegerField(
        default=30, help_text="Minutes after the order (and between reminders)."
    )
    expired_message = models.BooleanField(
        default=True, help_text="Tell the shopper their items are still available after the order expires."
    )
    abandoned_checkouts = models.BooleanField(
        default=False, help_text="Remind shoppers who entered a phone or email and agreed to a reminder."
    )
    abandoned_delay_minutes = models.PositiveSmallIntegerField(default=60)
    abandoned_reminders = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders_recovery_settings"
        verbose_name_plural = "recovery settings"

    def __str__(self):
        return f"Recovery settings of {self.store_id}"


class RecoveryKind(models.TextChoices):
    UNPAID = "unpaid", "Unpaid order reminder"
    EXPIRED = "expired", "Items still available"
    ABANDONED = "abandoned", "Abandoned checkout reminder"


class AbandonedCheckout(models.Model):
    """A checkout a shopper began, with the contact they typed and their consent to a reminder.

    Only written when the store collects abandoned checkouts and the shopper ticked the box;
    `order` is set once that shopper's order is placed, which ends the reminders.
    """

    id = models.BigAutoField(primary_key=True)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="abandoned_checkouts")
    token = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255, blank=True, default="")
    email = models.CharField(max_length=255, blank=True, default="")
    phone = models.CharField(max_length=20, blank=True, default="")
    lines = models.JSONField(default=list)
    consent_text = models.CharField(max_length=255)
    consent_at = models.DateTimeField()
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders_abandoned_checkouts"
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["store", "updated_at"], name="idx_abandoned_store_updated")]

    def __str__(self):
        return f"Checkout {self.pk} at {self.store_id}"


class RecoveryMessage(models.Model):
    """One recovery message, recorded before it is queued: `key` is unique, so however many
    workers and retries reach the same reminder, one row (and one message) comes of it."""

    id = models.BigAutoField(primary_key=True)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="recovery_messages")
    kind = models.CharField(max_length=10, choices=RecoveryKind.choices)
    key = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveSmallIntegerField(default=1)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    checkout = models.ForeignKey(
        AbandonedCheckout, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    # The addresses it went to; empty when every address had opted out (nothing was sent).
    email = models.CharField(max_length=255, blank=True, default="")
    phone = models.CharField(max_length=20, blank=True, default="")
    recovered_order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recovered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_recovery_messages"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["store", "created_at"], name="idx_recovery_store_created"),
            models.Index(fields=["store", "recovered_at"], name="idx_recovery_store_recovered"),
        ]

    def __str__(self):
        return self.key


class RecoveryOptOut(models.Model):
    """An email address or phone number that asked this store for no more recovery messages."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_recovery_opt_outs"
        constraints = [
            models.UniqueConstraint(fields=["store", "address"], name="orders_recovery_opt_out_unique"),
        ]

    def __str__(self):
        return f"{self.address} at {self.store_id}"


# Pay on delivery lives in its own module to keep this one readable; importing it here is
# what registers its models with the orders app.
from orders.pod_models import (  # noqa: E402, F401 (re-exported)
    BalanceMethod,
    DepositKind,
    OrderPaymentPlan,
    PodSettings,
    RefundPolicy,
)
