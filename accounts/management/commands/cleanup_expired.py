from django.core.management.base import BaseCommand

from accounts.services import expired_cleanup


class Command(BaseCommand):
    help = "Delete expired one-time codes and expired refresh tokens (also run hourly by Celery beat)."

    def handle(self, *args, **options):
        otps, tokens = expired_cleanup()
        self.stdout.write(f"Deleted {otps} expired codes and {tokens} expired refresh tokens.")
