from django.core.management.base import BaseCommand

from config.site_url import site_url
from stores.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Creates the demo merchant, staff user, store and products (safe to run twice)."

    def handle(self, *args, **options):
        seed = demo_seed()
        site = site_url()
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"  Storefront: {site}/{seed.store.username}",
                    f"  Dashboard:  {site}/dashboard/  (log in as {seed.merchant.email} / {DEMO_PASSWORD})",
                    f"  Admin:      {site}/admin/  (log in as {seed.admin.email} / {DEMO_PASSWORD})",
                    f"  API docs:   {site}/docs",
                    "",
                ]
            )
        )
