"""Loading settings at a process entry point, with configuration errors on one line."""

import os
import sys


def load_settings(default_module: str = "config.settings.local") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_module)
    from config.settings.environment import ConfigurationError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - importing the module validates the environment
    except ConfigurationError as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        sys.exit(2)
