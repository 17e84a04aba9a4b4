from django.contrib import admin

from config.admin import ReadOnlyAdmin
from outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "task", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("task",)
    search_fields = ("task",)
