from celery import shared_task

from analytics.services import rollups_catch_up


@shared_task(name="analytics.rollups_catch_up")
def analytics_catch_up() -> int:
    return rollups_catch_up()
