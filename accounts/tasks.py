from celery import shared_task

from accounts import services


@shared_task
def cleanup_expired() -> tuple[int, int]:
    """Hourly (CELERY_BEAT_SCHEDULE["accounts-cleanup-expired"]); safe to run twice."""
    return services.expired_cleanup()
