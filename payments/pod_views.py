"""The balance of a pay-on-delivery order at the door, from its dashboard page: recorded as cash,
or a Monnify account opened for it. Both answer by going back to the order."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from config.errors import NotFound, ServiceError
from payments import services


def _back(order_id):
    return redirect("dashboard:orders_dashboard:detail", order_id=order_id)


@login_required
@require_POST
def pod_balance_cash(request, order_id):
    try:
        recorded = services.pod_balance_record_cash(user=request.user, order_id=order_id)
    except NotFound:
        raise  # another merchant's order: the 404 page (config.middleware)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Balance recorded as cash: the order is fully paid."
            if recorded
            else "The balance was already recorded.",
        )
    return _back(order_id)


@login_required
@require_POST
def pod_balance_account(request, order_id):
    try:
        services.pod_balance_account_open(user=request.user, order_id=order_id)
    except NotFound:
        raise  # another merchant's order: the 404 page (config.middleware)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "A Monnify account for the balance is being opened; it shows below.")
    return _back(order_id)
