from django.conf import settings
from django.db import models

from config.db import CurrentTimestamp, EnumField, SeedIndex, SeedTextField, TimestampField, uuid_primary_key


class StoreTemplate(models.TextChoices):
    PRODUCTS = "products", "Products"
    BOOKINGS = "bookings", "Bookings"
    PORTFOLIO = "portfolio", "Portfolio"


class StoreQuerySet(models.QuerySet):
    def live(self):
        """Stores a shopper can see."""
        return self.filter(is_active=True, deleted_at__isnull=True)

    def owned_by(self, user):
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

    def get_absolute_url(self):
        return f"/{self.username}"


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
