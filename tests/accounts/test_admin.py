import pytest
from django.test import Client

from accounts.models import OtpType, OtpVerification, RefreshToken, Role, User
from accounts.tokens import token_pair_issue
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def admin_client(role):
    staff = UserFactory(role=role)
    client = Client()
    client.force_login(staff)
    return client, staff


def change_data(user, **changes):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "avatar_url": "",
        "role": user.role,
        "is_active": "on",
        "email_verified": "on",
        "phone_verified": "on",
        "settings-TOTAL_FORMS": "0",
        "settings-INITIAL_FORMS": "0",
        "settings-MIN_NUM_FORMS": "0",
        "settings-MAX_NUM_FORMS": "1",
    }
    data.update(changes)
    return data


def test_only_staff_can_sign_in_to_admin():
    UserFactory(email="merchant@example.com")
    UserFactory(email="admin@example.com", role=Role.ADMIN)
    client = Client()
    client.post("/admin/login/", {"username": "merchant@example.com", "password": DEFAULT_PASSWORD})
    assert client.get("/admin/").status_code == 302
    client.post("/admin/login/", {"username": "admin@example.com", "password": DEFAULT_PASSWORD})
    assert client.get("/admin/").status_code == 200


def test_user_list_and_search():
    client, _staff = admin_client(Role.ADMIN)
    UserFactory(email="findme@example.com", full_name="Findable Person")
    response = client.get("/admin/accounts/user/", {"q": "findme"})
    assert response.status_code == 200
    assert "Findable Person" in response.content.decode()


def test_admin_cannot_change_role_but_super_admin_can():
    merchant = UserFactory()
    client, _staff = admin_client(Role.ADMIN)
    page = client.get(f"/admin/accounts/user/{merchant.pk}/change/").content.decode()
    assert 'name="role"' not in page
    assert merchant.password in page
    client.post(f"/admin/accounts/user/{merchant.pk}/change/", change_data(merchant, role=Role.SUPER_ADMIN))
    assert User.objects.get(pk=merchant.pk).role == Role.USER

    client, _boss = admin_client(Role.SUPER_ADMIN)
    response = client.post(
        f"/admin/accounts/user/{merchant.pk}/change/", change_data(merchant, role=Role.ADMIN)
    )
    assert response.status_code == 302
    assert User.objects.get(pk=merchant.pk).role == Role.ADMIN


def test_deactivate_action_signs_the_user_out():
    merchant = UserFactory()
    token_pair_issue(user=merchant)
    client, _staff = admin_client(Role.ADMIN)
    client.post("/admin/accounts/user/", {"action": "deactivate", "_selected_action": [merchant.pk]})
    assert User.objects.get(pk=merchant.pk).is_active is False
    assert RefreshToken.objects.get(user=merchant).revoked is True


def test_codes_and_tokens_are_read_only():
    from datetime import timedelta

    from django.utils import timezone

    client, _staff = admin_client(Role.SUPER_ADMIN)
    otp = OtpVerification.objects.create(
        email="x@example.com",
        code="987654",
        type=OtpType.EMAIL,
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    listing = client.get("/admin/accounts/otpverification/")
    assert listing.status_code == 200
    assert "987654" not in listing.content.decode()
    assert client.get("/admin/accounts/otpverification/add/").status_code == 403
    assert (
        client.post(f"/admin/accounts/otpverification/{otp.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert client.get("/admin/accounts/refreshtoken/").status_code == 200
