from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ServiceError
from config.money import naira
from orders.pricing import fee_charged_to_customer
from payments import selectors, services
from payments.forms import BankAccountForm, PayoutForm, RefundForm
from payments.monnify import MonnifyError, simulator_enabled
from payments.payment_state import PaymentState
from payments.simulator_shared import simulated_checkout, simulated_payment


@login_required
@require_http_methods(["GET", "POST"])
def bank_accounts(request):
    try:
        banks = services.bank_list()
    except ServiceError as error:
        banks = []
        messages.error(request, error.message)
    form = BankAccountForm(request.POST or None, banks=banks)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.bank_account_add(user=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"Added {account.bank_name} {account.account_number} ({account.account_name})."
            )
            return redirect("dashboard:payments_dashboard:bank-accounts")
    accounts = selectors.bank_accounts_for_user(user=request.user)
    return render(request, "payments/bank_accounts.html", {"accounts": accounts, "form": form})


@login_required
@require_POST
def bank_account_make_primary(request, account_id):
    try:
        account = services.bank_account_make_primary(user=request.user, account_id=account_id)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Payouts now go to {account.bank_name} {account.account_number}.")
    return redirect("dashboard:payments_dashboard:bank-accounts")


@login_required
@require_POST
def bank_account_delete(request, account_id):
    try:
        services.bank_account_delete(user=request.user, account_id=account_id)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Bank account removed.")
    return redirect("dashboard:payments_dashboard:bank-accounts")


# --- the shopper's payment page ------------------------------------------------------------------


def _payment_context(payment):
    state = PaymentState.of(payment)
    can_retry = selectors.payment_can_retry(payment=payment)
    return {
        "payment": payment,
        "store": payment.order.store,
        "order": payment.order,
        "checkout_url": state.checkout_url,
        "ussd_payment": state.ussd_payment,
        "partly_paid": state.partly_paid,
        "can_retry": can_retry,
        "preparing": payment.status == "pending" and not payment.account_number and not can_retry,
        "simulated": simulator_enabled(),
        "service_fee": fee_charged_to_customer(payment.order),
    }


@require_GET
def payment_page(request, username, reference):
    payment = selectors.payment_get_for_store(username=username, reference=reference)
    payment = services.payment_refresh_if_due(payment=payment)
    template = "storefront/payments/_status.html" if request.htmx else "storefront/payments/pay.html"
    return render(request, template, _payment_context(payment))


@require_POST
def payment_retry(request, username, reference):
    payment = selectors.payment_get_for_store(username=username, reference=reference)
    try:
        payment = services.payment_retry_start(payment=payment)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if not payment.account_number:
            messages.error(
                request, "We still cannot reach the payment provider. Please try again in a minute."
            )
    return redirect("storefront:payments_storefront:pay", username=username, reference=reference)


@require_GET
def payment_checkout(request, username, reference):
    """Card and USSD happen on Monnify's hosted page: we never see card details."""
    payment = selectors.payment_get_for_store(username=username, reference=reference)
    checkout_url = PaymentState.of(payment).checkout_url
    if payment.status != "pending" or not checkout_url:
        return redirect("storefront:payments_storefront:pay", username=username, reference=reference)
    return redirect(checkout_url)


@require_POST
def payment_simulate(request, username, reference):
    """The built-in Monnify simulator only: pay the transfer as a shopper's bank would."""
    if not simulator_enabled():
        raise Http404("Simulation is only available with the built-in Monnify simulator")
    payment = selectors.payment_get_for_store(username=username, reference=reference)
    try:
        services.payment_pay_simulated(payment=payment)
    except (ServiceError, MonnifyError) as error:
        messages.info(request, f"The payment is being confirmed: {error}")
    return redirect("storefront:payments_storefront:pay", username=username, reference=reference)


SIMULATED_METHODS = {"card": "CARD", "ussd": "USSD"}


@require_http_methods(["GET", "POST"])
def simulator_checkout(request, transaction_reference):
    """The built-in simulator's stand-in for Monnify's hosted payment page (card and USSD)."""
    if not simulator_enabled():
        raise Http404("Only with the built-in Monnify simulator")
    txn = simulated_checkout(transaction_reference=transaction_reference)
    if txn is None:
        raise Http404("No such transaction")
    due = txn["amount"] - txn["amountPaid"]
    if request.method == "POST":
        method = SIMULATED_METHODS.get(request.POST.get("method", ""))
        if method is None:
            return render(
                request,
                "payments/simulator_checkout.html",
                {"txn": txn, "due": due, "error": "Choose card or USSD."},
                status=400,
            )
        if due > 0:
            simulated_payment(transaction_reference=txn["transactionReference"], method=method)
        # Monnify sends the shopper back to the merchant's redirectUrl with the reference.
        back = txn.get("redirectUrl") or "/"
        separator = "&" if "?" in back else "?"
        return redirect(f"{back}{separator}paymentReference={txn['paymentReference']}")
    return render(request, "payments/simulator_checkout.html", {"txn": txn, "due": due})


# --- the merchant's money ------------------------------------------------------------------------

ATTENTION = {
    "partly_paid": "Paid short",
    "overpaid": "Overpaid: refund the excess",
    "late_payment": "Paid after expiry: fulfil or refund",
    "reversed": "Payment reversed",
    "paid_after_cancel": "Paid after you cancelled: refund",
}


@login_required
@require_http_methods(["GET", "POST"])
def payments_overview(request):
    accounts = list(selectors.bank_accounts_for_user(user=request.user))
    form = PayoutForm(request.POST or None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        try:
            payout = services.payout_request(user=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Payout {payout.reference} of {naira(payout.amount)} requested.")
            return redirect("dashboard:payments_dashboard:overview")
    payments = list(selectors.payments_for_merchant(user=request.user).prefetch_related("refunds")[:50])
    for payment in payments:
        state = PaymentState.of(payment)
        payment.attention = ATTENTION.get(state.flag, "")
        if state.flag == "partly_paid" and state.partly_paid:
            payment.attention += f": {naira(state.partly_paid['amount_paid'])} received"
        payment.refund_list = list(payment.refunds.all())
        payment.refund_form = None
        offer = selectors.payment_refund_offer(payment=payment)
        if offer is not None:
            payment.refund_form = RefundForm(
                initial={"amount": offer.amount, "reason": offer.reason}, auto_id=f"refund-{payment.pk}-%s"
            )
    context = {
        "balance": selectors.ledger_balance(user=request.user),
        "payments": payments,
        "payouts": list(selectors.payouts_for_user(user=request.user)[:20]),
        "form": form,
        "has_accounts": bool(accounts),
        "minimum_payout": settings.PAYOUT_MINIMUM_AMOUNT,
        "pod": selectors.pod_ledger_summary(user=request.user),
    }
    return render(request, "payments/overview.html", context)


@login_required
@require_POST
def payment_refund(request, payment_id):
    """The "Refund" button on a flagged payment's row of the payments page."""
    payment = selectors.payment_get_for_merchant(user=request.user, payment_id=payment_id)
    form = RefundForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        messages.error(request, f"Refund not started. {problems}")
        return redirect("dashboard:payments_dashboard:overview")
    try:
        refund = services.payment_refund_start(payment=payment, user=request.user, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, f"Refund not started. {error.message}")
    else:
        messages.success(
            request,
            f"Refund {refund.reference} of {naira(refund.amount)} "
            f"for order {payment.order.order_number} started.",
        )
    return redirect("dashboard:payments_dashboard:overview")
