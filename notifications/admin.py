from django.contrib import admin, messages
from django.utils.translation import ngettext

from config.admin import ReadOnlyAdmin
from notifications.models import AlertSettings, DeliveryLog, Notification
from notifications.services import delivery_resend


@admin.register(DeliveryLog)
class DeliveryLogAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "category",
        "template",
        "recipient",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "channel", "category", "template", "created_at"]
    search_fields = ["recipient", "idempotency_key", "provider_message_id", "related_id", "user__email"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [field.name for field in DeliveryLog._meta.fields]
    fieldsets = [
        (None, {"fields": ["channel", "category", "template", "recipient", "user", "status", "attempts"]}),
        ("Provider", {"fields": ["provider_message_id", "last_error", "sent_at"]}),
        ("Message", {"fields": ["from_name", "subject", "body_text", "body_html"]}),
        ("Event", {"fields": ["idempotency_key", "related_type", "related_id", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Last error")
    def short_error(self, log):
        return log.last_error[:80]

    @admin.action(description="Re-send failed or stuck messages")
    def resend(self, request, queryset):
        count = delivery_resend(log_ids=list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - count
        self.message_user(
            request,
            ngettext("%d message queued again.", "%d messages queued again.", count) % count,
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d message was already sent and was left alone.",
                    "%d messages were already sent and were left alone.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only record; the changelist action still works with view permission.
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "title", "read_at"]
    list_filter = ["read_at", "created_at"]
    search_fields = ["title", "body", "user__email"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]


@admin.register(AlertSettings)
class AlertSettingsAdmin(ReadOnlyAdmin):
    list_display = ("user", "daily_summary", "updated_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
