"""What a receipt shows, read once for the HTML page, the PDF, the API and the email, and what
the public verification page may say (no personal data: store, order number, amount, dates).

A receipt exists only for money that arrived: an order whose payment is paid, or was paid and
then refunded (the receipt then says so).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Sum

from config.errors import NotFound
from config.money import ZERO, naira
from config.site_url import site_url
from orders.models import Order, OrderPaymentPlan, PaymentStatus
from orders.pricing import fee_charged_to_customer
from payments.models import Payment, Receipt, Refund, RefundStatus
from payments.payment_state import PaymentState

RECEIPT_PAYMENT_STATUSES = (PaymentStatus.PAID, PaymentStatus.REFUNDED)


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    options: str
    quantity: int
    unit_price: Decimal
    subtotal: Decimal


@dataclass(frozen=True)
class ReceiptView:
    order: Order
    payment: Payment
    receipt: Receipt
    lines: list[ReceiptLine]
    service_fee: Decimal
    refunded_amount: Decimal
    refunded_at: datetime | None
    # Pay on delivery: the receipt's payment is the deposit; the plan says what is still due.
    pod_plan: OrderPaymentPlan | None = None

    @property
    def store(self):
        return self.order.store

    @property
    def refunded(self) -> bool:
        return self.refunded_amount > 0

    @property
    def fully_refunded(self) -> bool:
        return self.refunded_amount >= self.payment.amount

    @property
    def method(self) -> str:
        return self.payment.get_payment_method_display() if self.payment.payment_method else "Bank transfer"

    @property
    def verify_url(self) -> str:
        return f"{site_url()}/verify/{self.receipt.code}"

    @property
    def page_url(self) -> str:
        return f"{site_url()}/{self.order.store.username}/orders/{self.order.order_number}/receipt"

    @property
    def pdf_url(self) -> str:
        return f"{self.page_url}.pdf"


def receipt_payment(order: Order) -> Payment:
    """The payment that paid the order (the latest paid one), or NotFound: no receipt.

    A pay-on-delivery order has its receipt once the deposit is paid; it shows what is due.
    """
    deposit_paid = OrderPaymentPlan.objects.filter(order_id=order.pk, deposit_paid_at__isnull=False).exists()
    if order.payment_status not in RECEIPT_PAYMENT_STATUSES and not deposit_paid:
        raise NotFound("This order has no receipt: it is not paid.")
    payments = Payment.objects.filter(
        order=order, status__in=RECEIPT_PAYMENT_STATUSES, paid_at__isnull=False
    ).order_by("-paid_at")
    for payment in payments:
        if not payment_reversed(payment):
            return payment
    raise NotFound("This order has no receipt: it is not paid.")


def payment_reversed(payment: Payment) -> bool:
    """Monnify reversed the transfer after it was paid (payments.services.collections)."""
    return PaymentState.of(payment).reversed


def _lines(order: Order) -> list[ReceiptLine]:
    return [
        ReceiptLine(
            name=item.product_name,
            options=", ".join(f"{key}: {value}" for key, value in (item.variant_selection or {}).items()),
            quantity=item.quantity,
            unit_price=item.product_price,
            subtotal=item.subtotal,
        )
        for item in order.order_items.all().order_by("created_at", "product_name", "id")
    ]


def receipt_view(*, order: Order, receipt: Receipt) -> ReceiptView:
    payment = receipt.payment
    refunds = Refund.objects.filter(payment__order=order, status=RefundStatus.COMPLETED)
    totals = refunds.aggregate(amount=Sum("amount"))
    refunded_amount = totals["amount"] or ZERO
    last = refunds.order_by("-completed_at").values_list("completed_at", flat=True).first()
    if order.payment_status == PaymentStatus.REFUNDED and not refunded_amount:
        # refunded outside our refunds table (by the older backends): the whole payment
        refunded_amount = payment.amount
    return ReceiptView(
        order=order,
        payment=payment,
        receipt=receipt,
        lines=_lines(order),
        service_fee=fee_charged_to_customer(order),
        refunded_amount=refunded_amount,
        refunded_at=last,
        pod_plan=OrderPaymentPlan.objects.filter(order_id=order.pk).first(),
    )


@dataclass(frozen=True)
class Verification:
    """What /verify/<code> says. `status` is "paid", "deposit_paid", "refunded" or "not_paid"."""

    status: str
    store_name: str
    store_username: str
    order_number: str
    amount: Decimal
    paid_at: datetime | None
    method: str
    refunded_amount: Decimal
    # Pay on delivery: the deposit verified, and the balance still due or how it was collected.
    pod_plan: OrderPaymentPlan | None = None


def verification_get(*, code: str) -> Verification:
    receipt = (
        Receipt.objects.select_related("order__store", "payment").filter(code=(code or "")[:32]).first()
        if code
        else None
    )
    if receipt is None:
        raise NotFound("No receipt has this code.")
    order, payment = receipt.order, receipt.payment
    plan = OrderPaymentPlan.objects.filter(order_id=order.pk).first()
    refunded = (
        Refund.objects.filter(payment__order=order, status=RefundStatus.COMPLETED).aggregate(
            amount=Sum("amount")
        )["amount"]
        or ZERO
    )
    if payment_reversed(payment):
        # the bank took the money back after the receipt was issued
        status = "not_paid"
    elif payment.status == PaymentStatus.PAID and order.payment_status == PaymentStatus.PAID:
        status = "refunded" if refunded else "paid"
    elif payment.status == PaymentStatus.PAID and plan is not None and plan.deposit_paid_at is not None:
        # Only the deposit is paid: the page must not call the whole order paid.
        status = "refunded" if refunded else "deposit_paid"
    elif PaymentStatus.REFUNDED in (payment.status, order.payment_status):
        status = "refunded"
        refunded = refunded or payment.amount
    else:
        status = "not_paid"
    return Verification(
        status=status,
        store_name=order.store.display_name,
        store_username=order.store.username,
        order_number=order.order_number,
        amount=payment.amount,
        paid_at=payment.paid_at,
        method=payment.get_payment_method_display() if payment.payment_method else "Bank transfer",
        refunded_amount=refunded,
        pod_plan=plan,
    )


def receipt_email_context(view: ReceiptView) -> dict:
    """The receipt email's context: amounts already written out (config.money)."""
    order = view.order
    return {
        "store": order.store,
        "name": order.customer_name,
        "order_number": order.order_number,
        "lines": [
            {
                "label": f"{line.quantity} x {line.name}" + (f" ({line.options})" if line.options else ""),
                "amount": naira(line.subtotal),
            }
            for line in view.lines
        ],
        "subtotal": naira(order.subtotal),
        "discount": naira(order.discount) if order.discount else "",
        "delivery": naira(order.shipping_fee or ZERO),
        "service_fee": naira(view.service_fee) if view.service_fee else "",
        "total": naira(order.total),
        "amount_paid": naira(view.payment.amount),
        "method": view.method,
        "reference": view.payment.monnify_reference or view.payment.payment_reference,
        "paid_at": view.payment.paid_at,
        "refunded": naira(view.refunded_amount) if view.refunded else "",
        "receipt_url": view.page_url,
        "verify_url": view.verify_url,
    }
