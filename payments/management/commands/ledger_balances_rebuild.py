from django.core.management.base import BaseCommand

from payments.services import ledger_balances_rebuild


class Command(BaseCommand):
    help = "Set every merchant's running balance (merchant_balances) to the sum of their ledger entries."

    def handle(self, *args, **options):
        count = ledger_balances_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {count:,} balances."))
