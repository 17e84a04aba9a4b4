from typing import Any, Self

from django.conf import settings
from django.db import models

from config.db import CurrentTimestamp, EnumField, SeedIndex, SeedTextField, TimestampField, uuid_primary_key


class StoreTemplate(models.TextChoices):
    PRODUCTS = "products", "Products"
    BOOKINGS = "bookings", "Bookings"
    PORTFOLIO = "portfolio", "Portfolio"


class StoreQuerySet(models.QuerySet["Store"]):
    def live(self) -> Self:
        """Stores a shopper can see."""
        return self.filter(is_active=True, deleted_at__isnull=True)

    def owned_by(self, user: Any) -> Self:
        return self.filter(user=user, deleted_at__isnull=True)


class Store(models.Model):
    """A merchant's store at /<username>."""

    id = uuid_primary_key()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stores", db_index=False
    )
    username = models.CharField(max_length=100, unique=True)
    display_name = models.CharField(max_length=255)
    description = SeedTextField(null=True, blank=True)
    logo_url = models.CharField(max_length=500, null=True, blank=True)
    banner_url = models.CharField(max_length=500, null=True, blank=True)
    template_id = EnumField(
        choices=StoreTemplate.choices,
        null=True,
        default=StoreTemplate.PRODUCTS,
        db_default=StoreTemplate.PRODUCTS,
    )
    category = models.CharField(max_length=100, null=True, blank=True)
    custom_colors = models.JSONField(null=True, blank=True)
    custom_fonts = models.JSONField(null=True, blank=True)
    social_links = models.JSONField(null=True, blank=True)
    is_active = models.BooleanField(null=True, default=True, db_default=True)
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())
    updated_at = TimestampField(null=True, auto_now=True, db_default=CurrentTimestamp(), on_update=True)
    deleted_at = TimestampField(null=True, blank=True)

    objects = StoreQuerySet.as_manager()

    class Meta:
        db_table = "stores"
        ordering = ["-created_at"]
        indexes = [
            SeedIndex(fields=["user"], name="idx_user_id"),
            SeedIndex(fields=["username"], name="idx_username"),
            SeedIndex(fields=["category"], name="idx_category"),
            SeedIndex(fields=["template_id"], name="idx_template_id"),
            SeedIndex(fields=["is_active"], name="idx_active"),
            SeedIndex(fields=["created_at"], name="idx_created_at"),
        ]

    def __str__(self):
        return f"{self.display_name} (@{self.username})"

    def get_absolute_url(self) -> str:
        return f"/{self.username}"


# --- Tables the seed lacks: the bookings and portfolio themes (stores/migrations/0002) ---


class Weekday(models.IntegerChoices):
    """datetime.date.weekday() numbering."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(models.Model):
    """When a bookings store takes appointments on one weekday, in Lagos time. No times
    means closed that day; a store without rows uses stores.opening_hours.DEFAULT_HOURS."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)

    class Meta:
        db_table = "store_opening_hours"
        ordering = ["weekday"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.UniqueConstraint(fields=["store", "weekday"], name="store_opening_hours_unique"),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="store_opening_hours_weekday"
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True, closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="store_opening_hours_order",
            ),
        ]

    def __str__(self):
        if self.opens_at is None:
            return f"{self.get_weekday_display()}: closed"
        return f"{self.get_weekday_display()}: {self.opens_at:%H:%M} to {self.closes_at:%H:%M}"


class BookingSettings(models.Model):
    """Where a bookings store's appointments take place: shown on the confirmation."""

    store = models.OneToOneField(
        Store, on_delete=models.CASCADE, primary_key=True, related_name="booking_settings"
    )
    address = models.CharField(max_length=255, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "store_booking_settings"
        verbose_name_plural = "booking settings"

    def __str__(self):
        return f"Booking settings of {self.store_id}"


class Testimonial(models.Model):
    """A client's words, shown on a portfolio store's home page in `position` order."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="testimonials")
    author = models.CharField(max_length=100)
    detail = models.CharField(max_length=100, blank=True, default="", help_text="E.g. “Bride, Lekki”.")
    quote = models.TextField(max_length=600)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "store_testimonials"
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.author} on {self.store_id}"


class EnquiryReply(models.TextChoices):
    EMAIL = "email", "Email"
    WHATSAPP = "whatsapp", "WhatsApp"


class Enquiry(models.Model):
    """A shopper's enquiry from a portfolio store, kept for the merchant's inbox."""

    id = uuid_primary_key()
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="enquiries")
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=255, blank=True, default="")
    phone = models.CharField(max_length=20, blank=True, default="")
    message = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_via = models.CharField(max_length=10, choices=EnquiryReply.choices, blank=True, default="")

    class Meta:
        db_table = "store_enquiries"
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "enquiries"
        indexes = [models.Index(fields=["store", "-created_at"], name="store_enquiries_inbox")]

    def __str__(self):
        return f"{self.name} → {self.store_id}"


# --- Tables the seed lacks (stores/migrations/0002) ---


class WhatsAppOrdering(models.Model):
    """Whether the storefront offers "Order on WhatsApp", which places a real pending order and
    opens a chat with the store's WhatsApp number (kept in `Store.social_links`, as the seed
    has it). A store without a row does not offer it."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, primary_key=True, related_name="+")
    enabled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "stores_whatsapp_ordering"

    def __str__(self):
        return f"WhatsApp ordering of {self.store_id}: {'on' if self.enabled else 'off'}"
