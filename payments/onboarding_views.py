"""The last step of a store's onboarding: the payout account (the earlier steps are stores').

It lives here because it adds a bank account through payments, which sits above stores; its
URL keeps its name in the dashboard (`dashboard:onboarding-bank`, payments/onboarding_urls.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.errors import ServiceError
from config.site_url import site_url
from payments import services
from payments.forms import BankAccountForm
from stores.selectors import store_get_owned
from stores.services import onboarding_complete


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_bank(request, store_id):
    """Bank account step: the payout account, verified by name enquiry. It may be skipped
    (the merchant adds it later under Payments), so the store opens either way."""
    store = store_get_owned(user=request.user, store_id=store_id)
    try:
        banks = services.bank_list()
    except ServiceError as error:
        banks = []
        messages.error(request, f"{error.message} You can finish now and add your account later.")
    adding = request.method == "POST" and request.POST.get("action") == "add"
    form = BankAccountForm(request.POST if adding else None, banks=banks)
    if request.method == "POST" and (not adding or form.is_valid()):
        try:
            if adding:
                account = services.bank_account_add(user=request.user, **form.cleaned_data)
                messages.success(request, f"Payouts will go to {account.bank_name} {account.account_number}.")
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            onboarding_complete(user=request.user)
            messages.success(request, f"{store.display_name} is live at {site_url()}/{store.username}.")
            return redirect("dashboard:home")
    return render(request, "stores/onboarding/bank.html", {"store": store, "step": 5, "form": form})
