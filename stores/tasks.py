from celery import shared_task

from stores.services import product_views_flush, store_enquiry_send


@shared_task(name="stores.flush_product_views")
def flush_product_views() -> int:
    return product_views_flush()


@shared_task(name="stores.send_store_enquiry", autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def send_store_enquiry(*, store_id: str, name: str, email: str, phone: str, message: str) -> None:
    store_enquiry_send(store_id=store_id, name=name, email=email, phone=phone, message=message)
