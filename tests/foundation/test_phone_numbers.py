import pytest

from config.phone_numbers import InvalidPhoneNumber, normalise_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("08031234567", "+2348031234567"),
        ("0803 123 4567", "+2348031234567"),
        ("2348031234567", "+2348031234567"),
        ("+2348031234567", "+2348031234567"),
        ("+234 (0) 803-123-4567", "+2348031234567"),
        ("09131234567", "+2349131234567"),
        ("07031234567", "+2347031234567"),
        ("8031234567", "+2348031234567"),
    ],
)
def test_accepted_forms(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "0803123456", "080312345678", "+4478031234567", "0603 123 4567", "0803abc4567"]
)
def test_refused_forms(raw):
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone(raw)
