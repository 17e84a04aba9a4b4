from django.apps import AppConfig


class StoresConfig(AppConfig):
    name = "stores"
    verbose_name = "Stores"

    def ready(self):
        # Django imports an app's modules only once every app is loaded, so these come here.
        from accounts import deletion
        from stores.services import stores_close_for_deleted_user

        deletion.register(cleanup=stores_close_for_deleted_user)
