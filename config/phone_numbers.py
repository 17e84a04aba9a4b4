"""Nigerian phone numbers in international form (+234…), as stored and as Termii expects."""

import re

from config.errors import ServiceError

# After the country code: a 10-digit national number whose first digit is 7, 8 or 9
# (mobile ranges 070x, 080x, 081x, 090x, 091x …).
NATIONAL_NUMBER = re.compile(r"^[789][01]\d{8}$")


class InvalidPhoneNumber(ServiceError):
    code = "invalid_phone"


def normalise_phone(raw: str) -> str:
    """080…, 234…, +234…, with spaces, dashes or brackets → +234XXXXXXXXXX.

    Raises InvalidPhoneNumber for anything that is not a Nigerian mobile number.
    """
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("234"):
            raise InvalidPhoneNumber("Enter a Nigerian phone number, like 0803 123 4567.")
    if not digits.isdigit():
        raise InvalidPhoneNumber("A phone number has digits only, like 0803 123 4567.")
    if digits.startswith("234"):
        national = digits[3:]
        if national.startswith("0"):
            national = national[1:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if not NATIONAL_NUMBER.match(national):
        raise InvalidPhoneNumber("Enter a valid Nigerian mobile number, like 0803 123 4567.")
    return f"+234{national}"
