from django.core.management.base import BaseCommand

from orders.services import customers_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the customer table (orders_customers) from the orders, for every store or one: "
        "run once after adopting a database; safe while orders are being placed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", help="Only this store's customers (its id).")

    def handle(self, *args, store=None, **options):
        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}", ending="")
            self.stdout.flush()

        count = customers_rebuild(store_id=store, progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {count:,} customers."))
