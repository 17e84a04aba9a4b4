"""Receipts that prove payment: the page, the PDF, the email and the public verification page."""

import base64
import contextlib
import re
import zlib
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from notifications.models import DeliveryLog
from orders.models import PaymentStatus
from orders.services import order_place
from payments import services, tasks
from payments.models import Payment, Receipt
from tests.factories import ProductFactory, StoreFactory
from tests.payments.helpers import open_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(merchant):
    return StoreFactory(user=merchant, username="ada-shoes", display_name="Ada Shoes")


def place(shop, **customer):
    product = ProductFactory(store=shop, name="Ankara Dress", price=Decimal("10000.25"), stock_quantity=9)
    return order_place(
        store=shop,
        customer={"name": "Chioma Eze", "phone": "08031112222", "email": "chioma@example.com", **customer},
        lines=[{"product_id": product.pk, "quantity": 3}],
        delivery_method="pickup",
    )


@pytest.fixture
def paid(shop, monnify):
    order = place(shop)
    payment = open_payment(order=order)
    monnify.pay_full(payment.payment_reference)
    tasks.payments_requery_pending.delay()
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.payment_status, payment.status) == (PaymentStatus.PAID, PaymentStatus.PAID)
    return order


def receipt_url(order):
    return f"/{order.store.username}/orders/{order.order_number}/receipt"


def pdf_text(content: bytes) -> str:
    """The text of a PDF's content streams (reportlab writes them ASCII85 + Flate encoded)."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\n?endstream", content, re.S)
    texts = []
    for stream in streams:
        data = stream.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data, adobe=True)
        with contextlib.suppress(zlib.error):
            data = zlib.decompress(data)
        texts.append(data.decode("latin-1"))
    return "\n".join(texts)


def test_payment_issues_one_receipt_with_an_unguessable_code(paid):
    receipt = Receipt.objects.get(order=paid)
    assert receipt.payment == Payment.objects.get(order=paid)
    assert len(receipt.code) == 22 and re.fullmatch(r"[A-Za-z0-9_-]+", receipt.code)
    assert services.receipt_issue(order=paid) == receipt
    assert Receipt.objects.count() == 1


def test_receipt_page_needs_the_orders_phone_or_email(paid):
    shopper = Client()
    url = receipt_url(paid)
    first = shopper.get(url)
    assert first.status_code == 200
    text = first.content.decode()
    assert "enter the phone number or email used for the order" in text
    assert "Chioma" not in text and "30,000.75" not in text

    wrong = shopper.post(url, {"action": "check", "contact": "08039999999"})
    assert "This is not the phone number or email on the order." in wrong.content.decode()
    assert shopper.get(url + ".pdf").status_code == 302

    right = shopper.post(url, {"action": "check", "contact": "0803 111 2222"})
    assert right.status_code == 302
    page = shopper.get(url)
    html = page.content.decode()
    payment = Payment.objects.get(order=paid)
    receipt = Receipt.objects.get(order=paid)
    assert "<strong>Paid: ₦30,000.75</strong> by bank transfer on" in html
    assert payment.monnify_reference in html
    assert "3" in html and "₦10,000.25" in html and "₦30,000.75" in html
    assert f"http://testserver/verify/{receipt.code}" in html
    assert "<svg" in html  # the QR code to the verification page
    assert "https://wa.me/?text=" in html
    by_email = Client()
    assert by_email.post(url, {"action": "check", "contact": "CHIOMA@example.com"}).status_code == 302


def test_the_shopper_who_placed_it_and_the_merchant_see_it_directly(paid, merchant):
    owner = Client()
    owner.force_login(merchant)
    assert "Monnify reference" in owner.get(receipt_url(paid)).content.decode()


def test_pdf_is_a_pdf_with_the_reference_and_exact_amounts(paid, merchant):
    owner = Client()
    owner.force_login(merchant)
    response = owner.get(receipt_url(paid) + ".pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    payment = Payment.objects.get(order=paid)
    assert payment.monnify_reference in text
    assert "NGN 30,000.75" in text and "NGN 10,000.25" in text
    assert paid.order_number in text


def test_unpaid_orders_have_no_receipt(shop, merchant, monnify):
    order = place(shop)
    open_payment(order=order)
    owner = Client()
    owner.force_login(merchant)
    assert owner.get(receipt_url(order)).status_code == 404
    assert owner.get(receipt_url(order) + ".pdf").status_code == 404
    assert not Receipt.objects.exists()


def test_verify_page_says_paid_with_no_personal_data(paid):
    receipt = Receipt.objects.get(order=paid)
    response = Client().get(f"/verify/{receipt.code}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Paid — verified by bank transfer on" in html
    assert "Ada Shoes" in html and paid.order_number in html and "₦30,000.75" in html
    for personal in ("Chioma", "chioma@example.com", "+2348031112222", "08031112222", "1112222"):
        assert personal not in html


def test_verify_page_is_honest_about_unknown_codes_and_refunds(paid):
    assert "Not found." in Client().get("/verify/not-a-real-code").content.decode()
    assert Client().get("/verify/not-a-real-code").status_code == 404
    receipt = Receipt.objects.get(order=paid)
    Payment.objects.filter(order=paid).update(status=PaymentStatus.REFUNDED)
    type(paid).objects.filter(pk=paid.pk).update(payment_status=PaymentStatus.REFUNDED)
    html = Client().get(f"/verify/{receipt.code}").content.decode()
    assert "Refunded." in html and "₦30,000.75 has been refunded" in html


def test_receipt_email_goes_to_the_orders_address_once_per_window(paid, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.receipt_email(order=paid)
        services.receipt_email(order=paid)
    log = DeliveryLog.objects.get(template="order_receipt")
    assert log.recipient == "chioma@example.com"
    sent = [
        message
        for message in mail.outbox
        if message.to == ["chioma@example.com"] and "Receipt" in message.subject
    ]
    assert len(sent) == 1
    assert sent[0].subject == f"Receipt for order {paid.order_number} from Ada Shoes (₦30,000.75)"
    receipt = Receipt.objects.get(order=paid)
    assert (
        f"http://testserver/verify/{receipt.code}" in sent[0].body
        or f"/verify/{receipt.code}" in sent[0].body
    )


def test_api_receipt_needs_the_contact_and_verification_is_public(paid, api_client, merchant_api):
    url = f"/api/v1/receipts/{paid.order_number}"
    refused = api_client.get(url)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    data = api_client.get(url, {"contact": "chioma@example.com"}).json()["data"]
    payment = Payment.objects.get(order=paid)
    assert (data["status"], data["amountPaid"], data["total"]) == ("paid", "30000.75", "30000.75")
    assert data["items"] == [
        {
            "name": "Ankara Dress",
            "options": "",
            "quantity": 3,
            "unitPrice": "10000.25",
            "subtotal": "30000.75",
        }
    ]
    assert data["monnifyReference"] == payment.monnify_reference
    assert merchant_api.get(url).status_code == 200
    code = Receipt.objects.get(order=paid).code
    assert data["verifyUrl"] == f"http://testserver/verify/{code}"
    verified = api_client.get(f"/api/v1/verify/{code}").json()["data"]
    assert verified["status"] == "paid" and verified["amount"] == "30000.75"
    assert set(verified) == {
        "status",
        "storeName",
        "storeUsername",
        "orderNumber",
        "amount",
        "paidAt",
        "method",
        "refundedAmount",
        "balanceDue",  # pay on delivery only: null for an order paid up front
    }
    assert verified["balanceDue"] is None
    assert api_client.get("/api/v1/verify/nope").status_code == 404


def test_api_receipt_of_an_unpaid_order_is_not_found(shop, monnify, merchant_api):
    order = place(shop)
    assert merchant_api.get(f"/api/v1/receipts/{order.order_number}").status_code == 404
