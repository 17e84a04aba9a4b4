from django.conf import settings
from django.db import models

from config.db import uuid_primary_key


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Category(models.TextChoices):
    SECURITY = "security", "Security"
    ACCOUNT = "account", "Account"
    ORDER = "order", "Order"
    PAYMENT = "payment", "Payment"
    PAYOUT = "payout", "Payout"
    MARKETING = "marketing", "Marketing"


class DeliveryLog(models.Model):
    """One message on one channel: what was sent, to whom, and what the provider said.

    The content is rendered when the event happens, so a retry or a re-send from admin
    delivers exactly what was first queued.
    """

    id = uuid_primary_key()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    recipient = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delivery_logs",
    )
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=255, blank=True, default="")
    body_text = models.TextField(blank=True, default="")
    body_html = models.TextField(blank=True, default="")
    from_name = models.CharField(max_length=255, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    provider_message_id = models.CharField(max_length=255, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    idempotency_key = models.CharField(max_length=255)
    related_type = models.CharField(max_length=50, blank=True, default="")
    related_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "notification_delivery_logs"
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key", "channel"], name="uniq_delivery_idempotency_channel"
            ),
        ]
        indexes = [
            models.Index(fields=["related_type", "related_id"], name="idx_delivery_related"),
            models.Index(fields=["recipient"], name="idx_delivery_recipient"),
        ]

    def __str__(self):
        return f"{self.channel} {self.template} to {self.recipient} ({self.status})"


class Notification(models.Model):
    """A message in the merchant's dashboard (the bell)."""

    id = uuid_primary_key()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True, default="")
    link = models.CharField(max_length=500, blank=True, default="")
    read_at = models.DateTimeField(null=True, blank=True)
    # The event this notification is for (`payment-received:<id>`): a replayed event finds the
    # unique key taken and adds nothing. Empty for notifications that may repeat.
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "notifications"
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["user", "read_at", "created_at"], name="idx_notification_user_read")]
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="uniq_notification_user_key")
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class AlertKind(models.TextChoices):
    NEW_ORDER = "new_order", "New order"
    PAYMENT_RECEIVED = "payment_received", "Payment received"
    PAYMENT_FLAGGED = "payment_flagged", "Payment needs you (paid short, late, reversed…)"
    LOW_STOCK = "low_stock", "Low stock"
    SOLD_OUT = "sold_out", "Sold out"
    PAYOUT_SENT = "payout_sent", "Payout sent"
    PAYOUT_FAILED = "payout_failed", "Payout failed"
    REFUND_OUTCOME = "refund_outcome", "Refund completed or failed"


class AlertSettings(models.Model):
    """Where a merchant wants each alert: the bell, email, SMS (notifications/alerts.py).

    `channels` maps an AlertKind to the channels chosen ("bell", "email", "sms"); a kind it
    does not name has alerts.DEFAULT_CHANNELS. With `daily_summary`, one email each morning
    lists the previous day's alerts as well.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings"
    )
    channels = models.JSONField(default=dict, blank=True)
    daily_summary = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "notification_alert_settings"
        verbose_name_plural = "alert settings"

    def __str__(self):
        return f"Alert settings of {self.user_id}"
