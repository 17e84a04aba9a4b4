from typing import Self

from django.db import models
from django.db.models import Value

from config.db import CurrentTimestamp, SeedIndex, SeedTextField, TimestampField, uuid_primary_key
from stores.models import Store


class ProductQuerySet(models.QuerySet["Product"]):
    def live(self) -> Self:
        """Products a shopper can see: active, not deleted, in a live store."""
        return self.filter(
            is_active=True,
            deleted_at__isnull=True,
            store__is_active=True,
            store__deleted_at__isnull=True,
        )


class Product(models.Model):
    id = uuid_primary_key()
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="products", db_index=False)
    name = models.CharField(max_length=255)
    description = SeedTextField(null=True, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    compare_at_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    cost_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    sku = models.CharField(max_length=100, null=True, blank=True)
    barcode = models.CharField(max_length=100, null=True, blank=True)
    stock_quantity = models.IntegerField(null=True, default=0, db_default=0)
    low_stock_threshold = models.IntegerField(null=True, default=5, db_default=5)
    weight = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    dimensions = models.JSONField(null=True, blank=True)
    images = models.JSONField(default=list, db_default=Value([], output_field=models.JSONField()))
    variations = models.JSONField(null=True, blank=True)
    category = models.CharField(max_length=100, null=True, blank=True)
    tags = models.JSONField(null=True, blank=True)
    is_active = models.BooleanField(null=True, default=True, db_default=True)
    is_featured = models.BooleanField(null=True, default=False, db_default=False)
    view_count = models.IntegerField(null=True, default=0, db_default=0)
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())
    updated_at = TimestampField(null=True, auto_now=True, db_default=CurrentTimestamp(), on_update=True)
    deleted_at = TimestampField(null=True, blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        db_table = "products"
        ordering = ["-created_at"]
        indexes = [
            SeedIndex(fields=["store"], name="idx_store_id"),
            SeedIndex(fields=["category"], name="idx_category"),
            SeedIndex(fields=["price"], name="idx_price"),
            SeedIndex(fields=["sku"], name="idx_sku"),
            SeedIndex(fields=["is_active"], name="idx_active"),
            SeedIndex(fields=["is_featured"], name="idx_featured"),
            SeedIndex(fields=["stock_quantity"], name="idx_stock"),
            SeedIndex(fields=["created_at"], name="idx_created_at"),
        ]

    def __str__(self):
        return self.name


class ServiceDuration(models.Model):
    """How long a bookings store's service takes (catalog/migrations/0002). Its own table:
    the seed's products table has no such column, and `dimensions` is the parcel's size."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="service_duration"
    )
    minutes = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "product_service_durations"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=5, minutes__lte=720), name="product_service_duration_range"
            ),
        ]

    def __str__(self):
        return f"{self.product_id}: {self.minutes} min"
