from celery import shared_task

from stores.services import product_views_flush


@shared_task(name="stores.flush_product_views")
def flush_product_views() -> int:
    return product_views_flush()
