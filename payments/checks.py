"""Configuration mistakes that would otherwise surface as Monnify errors at a shopper's checkout."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def monnify_settings(app_configs, **kwargs):
    key = settings.MONNIFY_API_KEY
    if not key:
        return []  # the built-in simulator answers where MONNIFY_SIMULATOR allows; production requires a key
    problems = []
    live_url = "api.monnify.com" in settings.MONNIFY_BASE_URL
    if (key.startswith("MK_TEST_") and live_url) or (key.startswith("MK_PROD_") and not live_url):
        problems.append(
            Warning(
                "MONNIFY_API_KEY and MONNIFY_BASE_URL are for different environments.",
                hint="MK_TEST_ keys work on https://sandbox.monnify.com, MK_PROD_ keys on https://api.monnify.com.",
                id="payments.W001",
            )
        )
    if not settings.MONNIFY_SECRET_KEY:
        problems.append(
            Warning(
                "MONNIFY_SECRET_KEY is empty: logins fail and no webhook can be verified.",
                id="payments.W002",
            )
        )
    contract = settings.MONNIFY_CONTRACT_CODE
    if not (contract.isdigit() and len(contract) >= 10):
        problems.append(
            Warning(
                "MONNIFY_CONTRACT_CODE should be the numeric contract code (10+ digits).", id="payments.W003"
            )
        )
    return problems
