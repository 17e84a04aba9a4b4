"""The product CSV that merchants export, edit in a spreadsheet and import again.

Columns are the product fields, with dimensions split into four columns, tags
comma-separated, images space-separated and variations written as
`Size: S | M | L; Colour: Red | Blue` (JSON is accepted too). A row with an `id` updates that
product; a row without one creates a product. The `store` column (the store's username) is
written for the merchant's reference and ignored on import: the merchant picks the store.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are written
with a leading apostrophe, which the import removes again.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from catalog.models import Product
from config.errors import ServiceError
from config.keyset import pk_chunks
from config.spreadsheet import FORMULA_STARTS, spreadsheet_safe

COLUMNS = (
    "id",
    "store",
    "name",
    "description",
    "price",
    "compare_at_price",
    "cost_price",
    "sku",
    "barcode",
    "stock_quantity",
    "low_stock_threshold",
    "weight",
    "length",
    "width",
    "height",
    "dimension_unit",
    "variations",
    "category",
    "tags",
    "images",
    "is_active",
    "is_featured",
)
TEXT_COLUMNS = ("name", "description", "sku", "barcode", "category", "tags", "variations")
DIMENSION_COLUMNS = ("length", "width", "height", "dimension_unit")
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
VARIATION_SEPARATORS = (";", ":", "|")


class CsvUnreadable(ServiceError):
    code = "invalid_csv"


def export_rows(products: Iterable[Product]) -> Iterator[list[str]]:
    yield list(COLUMNS)
    for product in products:
        yield _row(product)


def product_values(
    product: Product, *, variations_separator: str, unit_default: str | None
) -> dict[str, object]:
    """The product's editable fields as the export and the product form both show them
    (dimensions flattened, variations and tags as text)."""
    dimensions = product.dimensions if isinstance(product.dimensions, dict) else {}
    return {
        "name": product.name,
        "description": product.description,
        "price": product.price,
        "compare_at_price": product.compare_at_price,
        "cost_price": product.cost_price,
        "sku": product.sku,
        "barcode": product.barcode,
        "stock_quantity": product.stock_quantity,
        "low_stock_threshold": product.low_stock_threshold,
        "weight": product.weight,
        "length": dimensions.get("length"),
        "width": dimensions.get("width"),
        "height": dimensions.get("height"),
        "dimension_unit": dimensions.get("unit", unit_default),
        "variations": variations_text(product.variations, variations_separator),
        "category": product.category,
        "tags": ", ".join(product.tags) if isinstance(product.tags, list) else "",
    }


def _row(product: Product) -> list[str]:
    values = {
        "id": product.pk,
        "store": product.store.username,
        **product_values(product, variations_separator="; ", unit_default=None),
        "images": " ".join(product.images) if isinstance(product.images, list) else "",
        "is_active": "true" if product.is_active else "false",
        "is_featured": "true" if product.is_featured else "false",
    }
    row = []
    for column in COLUMNS:
        value = values[column]
        text = "" if value is None else str(value)
        row.append(spreadsheet_safe(text) if column in TEXT_COLUMNS else text)
    return row


def variations_text(variations, separator: str = "; ") -> str:
    if not variations:
        return ""
    words = [variation["name"] for variation in variations] + [
        option for variation in variations for option in variation["options"]
    ]
    if any(separator in word for word in words for separator in VARIATION_SEPARATORS):
        return json.dumps(variations, ensure_ascii=False)
    return separator.join(
        f"{variation['name']}: {' | '.join(variation['options'])}" for variation in variations
    )


class Echo:
    """A write-only file for csv.writer that hands each line back (for streaming)."""

    def write(self, value):
        return value


def stream_csv(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow(row)


def export_response(products) -> StreamingHttpResponse:
    """The products as a CSV download, written while it is sent (a big catalogue never sits
    in memory), in primary-key order."""
    # Primary-key chunks, not `.iterator()`: on MySQL that still buffers the whole result.
    rows = export_rows(pk_chunks(products, chunk=1000))
    response = StreamingHttpResponse(stream_csv(rows), content_type="text/csv; charset=utf-8")
    filename = f"products-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def read_rows(file) -> list[tuple[int, dict, dict]]:
    """(line number, product data, errors found while reading the cells) for every
    non-empty row of an uploaded CSV; the import validates the data itself."""
    raw = file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise CsvUnreadable("The CSV file is larger than 5 MB; split it into smaller files.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvUnreadable(
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvUnreadable("The CSV file is empty.") from None
    except csv.Error:
        raise CsvUnreadable("The file is not a readable CSV.") from None
    columns = [cell.strip().lower().replace(" ", "_") for cell in header]
    missing = [column for column in ("name", "price") if column not in columns]
    if missing:
        raise CsvUnreadable(f"The CSV needs these columns: {', '.join(missing)}.")
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_IMPORT_ROWS:
                raise CsvUnreadable(f"At most {MAX_IMPORT_ROWS} products per file.")
            values = dict(zip(columns, cells, strict=False))
            rows.append((reader.line_num, *_data(values)))
    except csv.Error:
        raise CsvUnreadable(f"Line {reader.line_num} is not readable CSV.") from None
    if not rows:
        raise CsvUnreadable("The CSV file has no products.")
    return rows


def _data(values: dict) -> tuple[dict, dict]:
    data = {}
    errors = {}
    for column, value in values.items():
        if column not in COLUMNS or column in (*DIMENSION_COLUMNS, "store"):
            continue
        value = value.strip()
        if column in TEXT_COLUMNS and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            value = value[1:]
        data[column] = value
    if any(column in values for column in DIMENSION_COLUMNS):
        parts = {column: values.get(column, "").strip() for column in DIMENSION_COLUMNS}
        if any(parts.values()):
            data["dimensions"] = {
                "length": parts["length"],
                "width": parts["width"],
                "height": parts["height"],
                "unit": parts["dimension_unit"],
            }
        else:
            data["dimensions"] = None
    if data.get("variations") and not data["variations"].startswith("["):
        try:
            data["variations"] = parse_variations(data["variations"])
        except ValueError as error:
            del data["variations"]
            errors["variations"] = [str(error)]
    return data, errors


def parse_variations(text: str) -> list[dict]:
    """`Size: S | M; Colour: Red` (or one variation per line) as the list the validator checks."""
    variations = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        name, separator, options = part.partition(":")
        if not separator:
            raise ValueError('Write variations as "Size: S | M | L; Colour: Red | Blue".')
        variations.append(
            {"name": name.strip(), "options": [option.strip() for option in options.split("|")]}
        )
    return variations
