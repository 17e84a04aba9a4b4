"""The Celery application: Redis broker and results; tasks run eagerly in the embedded default.

DJANGO_SETTINGS_MODULE is left to the process that starts Celery (the Makefile, the
Dockerfile, compose): this module is imported by every Django process through
config/__init__.py and must not choose settings for them.

Every task is an `ObservedTask` (the app's task class, so `@shared_task` gets it too): it
carries the request id of whoever queued it and counts how it ended, without signals.
"""

from typing import Any

from celery import Celery, Task

from config import metrics
from config.request_id import current_request_id, task_context_enter, task_context_exit

# The message header that carries the id (config/request_id.py) from the web to the worker.
REQUEST_ID_HEADER = "agm_request_id"


class ObservedTask(Task):
    def apply_async(
        self,
        args: Any = None,
        kwargs: Any = None,
        task_id: str | None = None,
        producer: Any = None,
        **options: Any,
    ) -> Any:
        request_id = current_request_id()
        if request_id:
            options["headers"] = {**(options.get("headers") or {}), REQUEST_ID_HEADER: request_id}
        return super().apply_async(args, kwargs, task_id, producer, **options)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # A worker reads custom headers as request attributes; an eager run keeps them in .headers.
        request_id = getattr(self.request, REQUEST_ID_HEADER, None) or (self.request.headers or {}).get(
            REQUEST_ID_HEADER
        )
        context = task_context_enter(request_id=request_id, task_id=self.request.id, task_name=self.name)
        try:
            return super().__call__(*args, **kwargs)
        finally:
            # An eager task or a task called as a function ran inside its caller, which gets its
            # own values back however the task ended. A worker keeps them until its next task
            # starts, so the lines Celery writes after the task returns ("succeeded", "raised",
            # "retry") carry them too.
            if self.request.is_eager or self.request.called_directly:
                task_context_exit(context)

    def on_success(self, retval: Any, task_id: str, args: Any, kwargs: Any) -> None:
        metrics.celery_task_finished(task=self.name, outcome="succeeded")

    def on_retry(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        metrics.celery_task_finished(task=self.name, outcome="retried")

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        metrics.celery_task_finished(task=self.name, outcome="failed")


app = Celery("agm", task_cls=ObservedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
