from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.errors import ServiceError
from payments import selectors, services
from payments.forms import BankAccountForm


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
