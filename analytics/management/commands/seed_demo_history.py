from django.core.management.base import BaseCommand, CommandError

from analytics.demo import demo_history_seed
from stores.demo import DEMO_STORE_USERNAME
from stores.models import Store


class Command(BaseCommand):
    help = "Gives the demo store three months of orders and builds its analytics (safe to run twice)."

    def handle(self, *args, **options):
        store = Store.objects.filter(username=DEMO_STORE_USERNAME).first()
        if store is None:
            raise CommandError("Run `manage.py seed_demo` first: there is no demo store.")
        written = demo_history_seed(store=store)
        self.stdout.write(
            f"  Demo history: {written} orders written." if written else "  Demo history: already there."
        )
