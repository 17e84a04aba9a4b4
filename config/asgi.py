from config.entrypoint import load_settings

load_settings("config.settings.production")

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
