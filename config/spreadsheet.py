"""Cells written to CSV files that merchants open in a spreadsheet."""

# A cell starting with any of these is run as a formula by Excel/LibreOffice/Sheets (tab and
# carriage return too: some spreadsheets strip them and then see the = behind).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """The value with a leading apostrophe if a spreadsheet would run it as a formula.

    Non-strings (numbers, dates, None) and the empty string pass through unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
