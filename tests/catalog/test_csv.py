import io
from decimal import Decimal

import pytest

from catalog import csv_format
from catalog.models import Product
from catalog.services import ImportInvalid, product_import
from config.errors import ServiceError
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def exported(products) -> bytes:
    return "".join(csv_format.stream_csv(csv_format.export_rows(products))).encode()


def test_round_trip_keeps_tricky_values(merchant, store):
    product = ProductFactory(
        store=store,
        name="Àdìrẹ “wrapper”, 2 yards",
        description="=line one\nline two, with commas",
        sku="-SKU",
        variations=[{"name": "Pack", "options": ["1 | 2", "3; 4"]}, {"name": "Colour", "options": ["Red"]}],
        tags=["owambe", "@party"],
        category="+Fabrics",
        cost_price=Decimal("0"),
        weight=Decimal("1.25"),
    )
    before = Product.objects.filter(pk=product.pk).values().get()
    rows = csv_format.read_rows(io.BytesIO(exported([product])))

    assert product_import(user=merchant, store_id=store.id, rows=rows) == {"created": 0, "updated": 1}

    after = Product.objects.filter(pk=product.pk).values().get()
    before.pop("updated_at")
    after.pop("updated_at")
    assert after == before


def test_excel_bom_and_header_case_are_accepted(merchant, store):
    content = "\ufeffName,Price,Stock Quantity\nZobo,500,3\n".encode()
    rows = csv_format.read_rows(io.BytesIO(content))
    assert product_import(user=merchant, store_id=store.id, rows=rows) == {"created": 1, "updated": 0}
    assert Product.objects.get().stock_quantity == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The CSV file is empty."),
        (b"title,cost\nA,1\n", "The CSV needs these columns: name, price."),
        (b"name,price\n\n", "The CSV file has no products."),
        (
            "name,price\nCafé,1\n".encode("utf-16"),
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.",
        ),
    ],
)
def test_unreadable_files(content, message):
    with pytest.raises(ServiceError) as raised:
        csv_format.read_rows(io.BytesIO(content))
    assert raised.value.message == message


def test_every_bad_row_is_reported_and_nothing_is_written(merchant, store):
    existing = ProductFactory(store=store, name="Keep", price=Decimal("100"))
    content = (
        "id,name,price,compare_at_price,variations\n"
        f"{existing.pk},Changed,200,,\n"
        ",Fine,10,,\n"
        ",Cheap,10,5,\n"
        f"{existing.pk},Twice,300,,\n"
        ",Sizes,10,,Size S M\n"
        "not-an-id,Ghost,10,,\n"
    ).encode()

    with pytest.raises(ImportInvalid) as raised:
        product_import(user=merchant, store_id=store.id, rows=csv_format.read_rows(io.BytesIO(content)))

    assert raised.value.message == "4 rows have errors; nothing was imported."
    assert raised.value.details == {
        "rows": [
            {"row": 4, "errors": {"compare_at_price": ["Compare-at price must be above the price."]}},
            {"row": 5, "errors": {"id": ["This product appears more than once in the file."]}},
            {
                "row": 6,
                "errors": {"variations": ['Write variations as "Size: S | M | L; Colour: Red | Blue".']},
            },
            {"row": 7, "errors": {"id": ["No product with this id in this store."]}},
        ]
    }
    assert Product.objects.count() == 1
    existing.refresh_from_db()
    assert (existing.name, existing.price) == ("Keep", Decimal("100.00"))
