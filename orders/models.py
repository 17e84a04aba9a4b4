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
