from celery import shared_task

from outbox import services


@shared_task
def outbox_relay() -> int:
    """Beat: publish every task still waiting in the outbox (the broker was down), oldest first."""
    total = 0
    while published := services.outbox_relay():
        total += published
        if published < services.RELAY_BATCH:
            break
    services.outbox_forget_sent()
    return total
