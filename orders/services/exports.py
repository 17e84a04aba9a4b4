"""Large orders exports: built by a task into a stored file, announced in the bell."""

from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from notifications.services import notification_create
from orders import exports, tasks
from orders.forms import OrderFilterForm
from stores.models import Store


def order_export_queue(*, user: User, query: dict[str, Any]) -> None:
    """Have a large export built by a task, once the request's transaction commits."""
    transaction.on_commit(partial(tasks.orders_export_build.delay, str(user.pk), query))


def order_export_build(*, user_id: str, query: dict[str, Any]) -> str:
    """Build the CSV the merchant asked for (the list's filters, `query`); returns its token.

    The filters are read again from the query as the list page reads them, against the stores
    the merchant owns now, so a store given away meanwhile is not exported.
    """
    user = get_user_model().objects.get(pk=user_id)
    stores = list(Store.objects.owned_by(user).order_by("display_name"))
    form = OrderFilterForm(query or None, stores=stores)  # type: ignore[no-untyped-call]  # a Django form
    filters = form.cleaned_data if form.is_valid() else {}
    token = exports.export_store(
        user_id=str(user.pk), store_ids=sorted(store.pk for store in stores), filters=filters
    )
    notification_create(
        user=user,
        title="Your orders export is ready",
        body="The CSV of your orders is ready to download.",
        link=reverse("dashboard:orders_dashboard:export_download", kwargs={"token": token}),
    )
    return token
