import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from analytics.services import rollups_rebuild
from stores.models import Store

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Recomputes the daily analytics rollups from the orders (all stores, or one)."

    def add_arguments(self, parser):
        parser.add_argument("--store", help="a store's id or username (default: every store)")
        parser.add_argument("--since", help="first day to recompute, YYYY-MM-DD (default: the first order)")

    def handle(self, *args, store=None, since=None, **options):
        store_id = None
        if store:
            found = Store.objects.filter(pk=store).first() or Store.objects.filter(username=store).first()
            if found is None:
                raise CommandError(f"No store with the id or username {store!r}.")
            store_id = found.pk
        first = None
        if since:
            try:
                first = datetime.date.fromisoformat(since)
            except ValueError:
                raise CommandError("--since must be a date written YYYY-MM-DD.") from None
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total
            line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} chunks"
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
            elif done == total or done % 50 == 0:
                self.stdout.write(line)

        days = rollups_rebuild(store_id=store_id, since=first, progress=progress)
        if interactive:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {days} store-days."))
