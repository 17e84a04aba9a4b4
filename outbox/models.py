"""Celery tasks written down in the transaction of the change that asks for them (outbox/services.py)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class OutboxMessage(models.Model):
    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once the broker accepted the task (or, with eager tasks, once it ran).
    sent_at = models.DateTimeField(null=True, blank=True)
    # A relay owns the row until then; one that died lets the next relay take it after that.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        db_table = "task_outbox"
        indexes = [models.Index(fields=["sent_at", "id"], name="idx_outbox_unsent")]

    def __str__(self):
        return f"{self.task} {self.kwargs} {'sent' if self.sent_at else 'waiting'}"
