import warnings

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # anymail's SendGrid backend warns on every instance that anymail no longer tests it;
        # it works (reference/integrations.md), so the warning is noise in every log.
        warnings.filterwarnings("ignore", message="django-anymail has dropped official support for SendGrid")
