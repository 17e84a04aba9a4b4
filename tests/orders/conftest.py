import pytest


@pytest.fixture
def shopper():
    return {
        "name": "Ada Obi",
        "phone": "0803 123 4567",
        "email": "ada@example.com",
        "address": "12 Allen Avenue",
        "state": "Lagos",
        "lga": "Ikeja",
        "notes": "",
    }
