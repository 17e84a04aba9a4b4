"""Redis down, inside one process (issue 12, finding 1; README "Operations and failure modes").

The cache this run configures is pointed at a port nothing listens on. Shoppers still browse
and check out (reads fall through to the database, writes are skipped), each attempt limit
decides as the policy says (sign-in, sign-up, codes and resets refuse with a 503 and write
nothing; enquiries and tracking go on uncounted), and the outage is logged once a minute, not
per request. tests/payments/test_outages.py shows the same through gunicorn with the broker and
Monnify down too; these run in seconds and pin the policy limit by limit.
"""

import logging
from decimal import Decimal

import pytest
from django.core import mail

from accounts.models import OtpVerification, User
from accounts.throttles import UNAVAILABLE_MESSAGE
from config import cache as resilient
from orders.models import Order
from orders.services import order_place
from payments.models import Payment
from stores.models import Enquiry, StoreTemplate
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory
from tests.processes import closed_port_url
from tests.stores.factories import StoreFactory

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.com"


def _circuit_reset():
    resilient.circuit.close()
    resilient.circuit.warned_at = -resilient.WARN_INTERVAL_SECONDS


@pytest.fixture
def redis_down(settings):
    """This run's cache backend, as configured, on a closed port."""
    _circuit_reset()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": closed_port_url()}}
    yield
    _circuit_reset()


@pytest.fixture
def tote(store):
    return ProductFactory(store=store, name="Ankara tote", price=Decimal("7500.00"), stock_quantity=5)


def test_shoppers_browse_and_check_out(
    redis_down, client, api_client, store, tote, monnify, django_capture_on_commit_callbacks
):
    home = client.get(f"/{store.username}")
    page = client.get(f"/{store.username}/p/{tote.pk}")
    assert (home.status_code, page.status_code) == (200, 200)
    assert "Ankara tote" in home.content.decode()
    assert "₦7,500" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes payment_open
        placed = api_client.post(
            "/api/v1/orders",
            {
                "storeUsername": store.username,
                "customerName": "Ada Obi",
                "customerPhone": "08031234567",
                "deliveryAddress": "12 Allen Avenue",
                "deliveryState": "Lagos",
                "deliveryLga": "Ikeja",
                "items": [{"productId": str(tote.pk), "quantity": 2}],
            },
            format="json",
        )

    assert placed.status_code == 201, placed.content
    order = Order.objects.get(store=store)
    assert order.subtotal == Decimal("15000.00")
    tote.refresh_from_db()
    assert tote.stock_quantity == 3
    # Monnify's token could not be cached: it was fetched, and the account opened all the same.
    payment = Payment.objects.get(order=order)
    assert len(payment.account_number) == 10


def _api_refusal(response):
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "60"
    body = response.json()
    assert (body["success"], body["error"]["code"], body["message"]) == (
        False,
        "temporarily_unavailable",
        UNAVAILABLE_MESSAGE,
    )


SIGN_UP = {
    "email": "new@example.com",
    "password": "kola-nut-Sunrise-42",
    "fullName": "N",
    "phone": "08031110000",
}


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/auth/login", {"email": EMAIL, "password": DEFAULT_PASSWORD}),
        ("/api/v1/auth/register", SIGN_UP),
        ("/api/v1/auth/verify-otp", {"type": "email", "code": "123456", "email": EMAIL}),
        ("/api/v1/auth/resend-otp", {"type": "email", "email": EMAIL}),
        ("/api/v1/auth/forgot-password", {"email": EMAIL}),
        (
            "/api/v1/auth/reset-password",
            {"email": EMAIL, "code": "123456", "newPassword": "a-New-passw0rd-9"},
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_sign_in_sign_up_codes_and_resets_fail_closed(redis_down, api_client, url, body):
    user = UserFactory(email=EMAIL, email_verified=False)
    password = user.password

    _api_refusal(api_client.post(url, body, format="json"))

    user.refresh_from_db()
    assert (user.last_login, user.password) == (None, password)
    assert list(User.objects.values_list("email", flat=True)) == [EMAIL]
    assert OtpVerification.objects.count() == 0
    assert mail.outbox == []


def test_changing_a_password_fails_closed(redis_down, merchant_api, merchant):
    password = merchant.password
    _api_refusal(
        merchant_api.post(
            "/api/v1/users/change-password",
            {"currentPassword": DEFAULT_PASSWORD, "newPassword": "a-New-passw0rd-9"},
            format="json",
        )
    )
    merchant.refresh_from_db()
    assert merchant.password == password


def test_the_sign_in_page_says_to_try_again_and_signs_nobody_in(redis_down, client):
    UserFactory(email=EMAIL)
    response = client.post("/auth/login/", {"email": EMAIL, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert UNAVAILABLE_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.get(email=EMAIL).last_login is None


def test_enquiries_and_order_tracking_fail_open(redis_down, client, store, tote, settings):
    settings.TRACK_LOOKUPS_PER_MINUTE = 1
    order = order_place(
        store=store,
        customer={"name": "Ada Obi", "phone": "08031234567"},
        lines=[{"product_id": tote.pk, "quantity": 1}],
        delivery_method="pickup",
    )
    # Uncounted while Redis is down: past the limit of one, every lookup is answered.
    assert [client.get(f"/track/{order.order_number}").status_code for _ in range(3)] == [200] * 3

    portfolio = StoreFactory(template_id=StoreTemplate.PORTFOLIO)
    sent = client.post(
        f"/{portfolio.username}/enquire",
        {"name": "Tunde", "email": "tunde@example.com", "phone": "", "message": "In blue?"},
    )
    assert sent.status_code == 200
    assert list(Enquiry.objects.values_list("store_id", "message")) == [(portfolio.pk, "In blue?")]


def test_the_outage_is_logged_once_a_minute_not_per_request(redis_down, client, store, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")

    def warnings():
        return [record for record in caplog.records if record.name == "config.cache"]

    assert [client.get(f"/{store.username}").status_code for _ in range(3)] == [200] * 3
    assert len(warnings()) == 1
    assert warnings()[0].getMessage().startswith("cache: Redis is unavailable (Error 111 connecting")
    # For DOWN_SECONDS nothing calls Redis; after them a request tries again, fails (Redis is
    # left alone for DOWN_SECONDS more) and says nothing.
    resilient.circuit.close()
    assert client.get(f"/{store.username}").status_code == 200
    assert resilient.cache_is_down()
    assert len(warnings()) == 1
    # A minute after the warning, the next failure warns again.
    resilient.circuit.warned_at -= resilient.WARN_INTERVAL_SECONDS
    resilient.circuit.close()
    assert client.get(f"/{store.username}").status_code == 200
    assert len(warnings()) == 2
