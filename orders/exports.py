"""The orders CSV: streamed in constant memory, or built by a task into a stored file.

Rows are read store by store, newest first, by one streamed query per store
(`config.keyset.streamed_rows`) through the `agm_orders_*` index the filters pick: no query
sorts a store's orders, and nothing holds more than one chunk. An export of more than
`ORDERS_EXPORT_INLINE_MAX` orders is not streamed to the browser:
`orders.tasks.orders_export_build` writes it to default storage and the merchant gets a bell
notification with the download link.
"""

import csv
import io
import secrets
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage

from config.keyset import streamed_rows
from config.spreadsheet import spreadsheet_safe
from orders import selectors
from orders.models import Order

CSV_COLUMNS = [
    ("Order number", "order_number"),
    ("Store", "store__username"),
    ("Placed at", "created_at"),
    ("Status", "status"),
    ("Payment status", "payment_status"),
    ("Customer", "customer_name"),
    ("Phone", "customer_phone"),
    ("Email", "customer_email"),
    ("State", "delivery_state"),
    ("LGA", "delivery_lga"),
    ("Subtotal", "subtotal"),
    ("Discount", "discount"),
    ("Delivery", "shipping_fee"),
    ("AGM fee", "agm_fee"),
    ("Total", "total"),
]
FIELDS = [field for _title, field in CSV_COLUMNS]
NON_TEXT_FIELDS = {"created_at", "subtotal", "discount", "shipping_fee", "agm_fee", "total"}
EXPORT_FOLDER = "exports/orders"


# Columns whose value can be text a spreadsheet would run as a formula (the rest are numbers,
# times or None): only these go through spreadsheet_safe, the export's hot loop.
TEXT_AT = [index for index, field in enumerate(FIELDS) if field not in NON_TEXT_FIELDS]


def csv_chunks(*, store_ids: list[str], filters: dict):
    """The CSV in pieces: the header line, then the lines of each streamed chunk of every
    matching order of each store (one string per chunk: a streaming response writes each
    piece it is given, and one write per line would cost more than the line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for title, _field in CSV_COLUMNS])
    yield _drain(buffer)
    for store_id in store_ids:
        if filters.get("store") and str(filters["store"]) != store_id:
            continue
        orders = selectors.order_filter(
            Order.objects.filter(store_id=store_id, deleted_at__isnull=True, created_at__isnull=False),
            filters,
        ).values_list(*FIELDS)
        for rows in streamed_rows(orders, indexes=selectors.ORDER_LIST_INDEXES):
            for row in rows:
                cells = list(row)
                for index in TEXT_AT:
                    cells[index] = spreadsheet_safe(cells[index])
                writer.writerow(cells)
            yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def export_path(*, user_id: str, token: str) -> str:
    return f"{EXPORT_FOLDER}/{user_id}/{token}.csv"


def export_store(*, user_id: str, store_ids: list[str], filters: dict) -> str:
    """Write the CSV to default storage through a temporary file; returns the file's token."""
    token = secrets.token_urlsafe(18)
    with tempfile.TemporaryFile(mode="w+b") as spool:
        for piece in csv_chunks(store_ids=store_ids, filters=filters):
            spool.write(piece.encode("utf-8"))
        spool.seek(0)
        default_storage.save(export_path(user_id=user_id, token=token), File(spool))
    return token


def export_open(*, user_id: str, token: str):
    """The merchant's stored export, or None: the path holds their own id, so another
    merchant's token opens nothing."""
    if not token or not all(ch.isalnum() or ch in "-_" for ch in token):
        return None
    path = export_path(user_id=user_id, token=token)
    if not default_storage.exists(path):
        return None
    return default_storage.open(path, "rb")
