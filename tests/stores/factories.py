from decimal import Decimal

from tests.factories import ProductFactory, StoreFactory, UserFactory

__all__ = ["ProductFactory", "StoreFactory", "UserFactory", "products_for"]


def products_for(store, count: int, **fields):
    """`count` live products in `store`, priced 1000, 1100, 1200 …"""
    return [
        ProductFactory(
            store=store,
            name=f"Item {index:03d}",
            price=Decimal(1000 + 100 * index),
            images=[f"https://res.example.com/p/{index}.jpg"],
            category="Shoes" if index % 2 else "Bags",
            is_featured=index < 3,
            **fields,
        )
        for index in range(count)
    ]
