from datetime import timedelta
from io import StringIO

import bcrypt
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import OtpType, OtpVerification, RefreshToken, Role, User
from accounts.tasks import cleanup_expired
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_admin_with_flags():
    out = StringIO()
    call_command(
        "create_admin",
        "--email",
        "Ops@Example.com",
        "--password",
        "Ops-Desk-2026!",
        "--full-name",
        "Ops",
        "--no-input",
        stdout=out,
    )
    user = User.objects.get(email="ops@example.com")
    assert (user.role, user.is_staff, user.is_superuser, user.email_verified) == (
        Role.ADMIN,
        True,
        False,
        True,
    )
    assert bcrypt.checkpw(b"Ops-Desk-2026!", user.password.encode())
    assert out.getvalue().strip() == "Created admin ops@example.com."


def test_create_super_admin_interactively(monkeypatch):
    answers = iter(["boss@example.com", "Boss Lady"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: "Chief-Executive-1")
    call_command("create_admin", "--super", stdout=StringIO())
    user = User.objects.get(email="boss@example.com")
    assert (user.role, user.full_name, user.is_superuser) == (Role.SUPER_ADMIN, "Boss Lady", True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--email", "taken@example.com", "--password", "Ops-Desk-2026!"],
            "An account with this email address already exists",
        ),
        (["--email", "new@example.com", "--password", "12345678"], "This password is too common."),
        (["--email", "new@example.com"], "Missing --password."),
    ],
)
def test_create_admin_refuses_bad_input(args, message):
    UserFactory(email="taken@example.com")
    with pytest.raises(CommandError, match=message):
        call_command("create_admin", *args, "--no-input")
    assert User.objects.count() == 1


def test_cleanup_expired_deletes_only_expired_rows():
    user = UserFactory()
    past, future = timezone.now() - timedelta(minutes=1), timezone.now() + timedelta(minutes=5)
    OtpVerification.objects.create(email="a@example.com", code="111111", type=OtpType.EMAIL, expires_at=past)
    live_otp = OtpVerification.objects.create(
        email="b@example.com", code="222222", type=OtpType.EMAIL, expires_at=future
    )
    RefreshToken.objects.create(user=user, token_hash="a" * 64, expires_at=past)
    revoked_live = RefreshToken.objects.create(
        user=user, token_hash="b" * 64, expires_at=future, revoked=True
    )

    out = StringIO()
    call_command("cleanup_expired", stdout=out)

    assert out.getvalue().strip() == "Deleted 1 expired codes and 1 expired refresh tokens."
    assert list(OtpVerification.objects.all()) == [live_otp]
    assert list(RefreshToken.objects.all()) == [revoked_live]
    assert tuple(cleanup_expired.delay().get()) == (0, 0)


def test_cleanup_is_on_the_beat_schedule():
    assert (
        settings.CELERY_BEAT_SCHEDULE["accounts-cleanup-expired"]["task"] == "accounts.tasks.cleanup_expired"
    )
