from datetime import timedelta

from celery import shared_task

from notifications import alerts, services
from notifications.channels import DeliveryTemporaryError

MAX_RETRIES = 5


@shared_task(
    bind=True,
    autoretry_for=(DeliveryTemporaryError,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def deliver(self, log_id: str) -> None:
    """Send one DeliveryLog; provider outages retry at about 30 s, 1, 2, 4, 8 minutes."""
    services.delivery_attempt(log_id=log_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task
def requeue_stale_deliveries() -> int:
    """Beat: messages stuck in `queued` for an hour are queued again."""
    return services.delivery_requeue_stale(older_than=timedelta(hours=1))


@shared_task
def alerts_daily_summaries() -> int:
    """Beat, hourly: yesterday's alerts to each merchant who asked, once (keyed per day)."""
    return alerts.alert_daily_summaries_send()
