from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Django imports an app's modules only once every app is loaded, so these come here.
        from accounts.selectors import user_preferences
        from notifications import preferences

        preferences.register(user_preferences)
