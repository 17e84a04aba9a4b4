import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import admin_create
from config.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Create a staff user for /admin/. Give --email, --password and --full-name (and --super for a "
        "super admin), or answer the questions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email")
        parser.add_argument("--password", help="Prefer the prompt: a flag ends up in shell history.")
        parser.add_argument("--full-name", dest="full_name")
        parser.add_argument(
            "--super", action="store_true", help="super_admin (may change roles and delete users)"
        )
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="Never prompt.")

    def handle(self, *args, email=None, password=None, full_name=None, interactive=True, **options):
        if interactive:
            email = email or input("Email: ").strip()
            full_name = full_name or input("Full name: ").strip()
            if not password:
                password = getpass.getpass("Password: ")
                if password != getpass.getpass("Password (again): "):
                    raise CommandError("The two passwords do not match.")
        missing = [flag for flag, value in (("--email", email), ("--password", password)) if not value]
        if missing:
            raise CommandError(f"Missing {', '.join(missing)}.")
        try:
            user = admin_create(
                email=email, password=password, full_name=full_name, superuser=options["super"]
            )
        except ValidationError as error:
            raise CommandError(
                " ".join(message for messages in error.message_dict.values() for message in messages)
            ) from None
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(f"Created {user.role} {user.email}."))
