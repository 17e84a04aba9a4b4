"""The Celery application: Redis broker and results; tasks run eagerly in the embedded default.

DJANGO_SETTINGS_MODULE is left to the process that starts Celery (the Makefile, the
Dockerfile, compose): this module is imported by every Django process through
config/__init__.py and must not choose settings for them.
"""

from celery import Celery

app = Celery("agm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
