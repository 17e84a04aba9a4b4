import pytest

from payments import services
from payments.models import BankAccount
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

ADA = {"accountNumber": "0123456789", "bankCode": "058"}
BENJI = {"accountNumber": "2085096393", "bankCode": "057"}


def test_banks_are_listed_by_name_and_cached(merchant_api, monnify):
    first = merchant_api.get("/api/v1/payments/banks")
    second = merchant_api.get("/api/v1/payments/banks")
    assert first.status_code == 200
    banks = first.json()["data"]
    assert banks[0] == {"name": "Access bank", "code": "044"}
    assert {"name": "GTBank", "code": "058"} in banks
    assert second.json()["data"] == banks
    assert monnify.count("GET", "/api/v1/banks") == 1


def test_banks_need_login(api_client, monnify):
    assert api_client.get("/api/v1/payments/banks").status_code == 401


def test_resolve_returns_the_banks_name(merchant_api, monnify):
    response = merchant_api.post("/api/v1/payments/bank-accounts/resolve", ADA, format="json")
    assert response.status_code == 200
    assert response.json()["data"] == {
        "accountNumber": "0123456789",
        "accountName": "ADAEZE OKAFOR",
        "bankCode": "058",
        "bankName": "GTBank",
    }


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"accountNumber": "12345", "bankCode": "058"}, 400, "validation_error"),
        ({"accountNumber": "0123456789", "bankCode": "999"}, 400, "invalid"),
        ({"accountNumber": "0000000000", "bankCode": "058"}, 400, "account_not_resolved"),
    ],
)
def test_resolve_rejects_bad_input(merchant_api, monnify, payload, status, code):
    response = merchant_api.post("/api/v1/payments/bank-accounts/resolve", payload, format="json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_resolve_when_monnify_is_down_is_503(merchant_api, monnify):
    merchant_api.get("/api/v1/payments/banks")
    monnify.stop()
    response = merchant_api.post("/api/v1/payments/bank-accounts/resolve", ADA, format="json")
    assert response.status_code == 503


def test_add_takes_the_name_from_the_enquiry_and_first_is_primary(merchant_api, merchant, monnify):
    response = merchant_api.post(
        "/api/v1/payments/bank-accounts", {**ADA, "accountName": "Somebody Else"}, format="json"
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["accountName"], data["bankName"], data["isVerified"], data["isPrimary"]) == (
        "ADAEZE OKAFOR",
        "GTBank",
        True,
        True,
    )
    second = merchant_api.post("/api/v1/payments/bank-accounts", BENJI, format="json").json()["data"]
    assert second["isPrimary"] is False
    listing = merchant_api.get("/api/v1/payments/bank-accounts").json()
    assert [a["accountNumber"] for a in listing["data"]] == ["0123456789", "2085096393"]
    assert listing["pagination"]["total"] == 2


def test_adding_twice_is_a_conflict(merchant_api, monnify):
    merchant_api.post("/api/v1/payments/bank-accounts", ADA, format="json")
    response = merchant_api.post("/api/v1/payments/bank-accounts", ADA, format="json")
    assert response.status_code == 409
    assert BankAccount.objects.count() == 1


def test_unresolvable_account_is_not_added(merchant_api, monnify):
    response = merchant_api.post(
        "/api/v1/payments/bank-accounts", {"accountNumber": "0000000000", "bankCode": "058"}, format="json"
    )
    assert response.status_code == 400
    assert BankAccount.objects.count() == 0


def test_make_primary_and_delete(merchant_api, merchant, monnify):
    first = merchant_api.post("/api/v1/payments/bank-accounts", ADA, format="json").json()["data"]
    second = merchant_api.post("/api/v1/payments/bank-accounts", BENJI, format="json").json()["data"]
    response = merchant_api.patch(
        f"/api/v1/payments/bank-accounts/{second['id']}", {"isPrimary": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["data"]["isPrimary"] is True
    assert BankAccount.objects.get(pk=first["id"]).is_primary is False

    assert merchant_api.delete(f"/api/v1/payments/bank-accounts/{second['id']}").status_code == 200
    deleted = BankAccount.objects.get(pk=second["id"])
    assert deleted.deleted_at is not None and deleted.is_primary is False
    assert BankAccount.objects.get(pk=first["id"]).is_primary is True
    listing = merchant_api.get("/api/v1/payments/bank-accounts").json()["data"]
    assert [a["id"] for a in listing] == [first["id"]]


def test_deleted_account_can_be_added_again(merchant_api, merchant, monnify):
    first = merchant_api.post("/api/v1/payments/bank-accounts", ADA, format="json").json()["data"]
    merchant_api.delete(f"/api/v1/payments/bank-accounts/{first['id']}")
    again = merchant_api.post("/api/v1/payments/bank-accounts", ADA, format="json")
    assert again.status_code == 201
    assert again.json()["data"]["id"] == first["id"]
    assert BankAccount.objects.filter(user=merchant, deleted_at__isnull=True).count() == 1


def test_patch_cannot_unset_primary(merchant_api, monnify):
    first = merchant_api.post("/api/v1/payments/bank-accounts", ADA, format="json").json()["data"]
    response = merchant_api.patch(
        f"/api/v1/payments/bank-accounts/{first['id']}", {"isPrimary": False}, format="json"
    )
    assert response.status_code == 400
    assert BankAccount.objects.get(pk=first["id"]).is_primary is True


def test_another_merchants_account_is_not_found(merchant_api, other_merchant_api, monnify):
    account = merchant_api.post("/api/v1/payments/bank-accounts", ADA, format="json").json()["data"]
    url = f"/api/v1/payments/bank-accounts/{account['id']}"
    assert other_merchant_api.patch(url, {"isPrimary": True}, format="json").status_code == 404
    assert other_merchant_api.delete(url).status_code == 404
    assert other_merchant_api.get("/api/v1/payments/bank-accounts").json()["data"] == []
    stored = BankAccount.objects.get(pk=account["id"])
    assert stored.deleted_at is None and stored.is_primary is True


def test_resolve_is_throttled(merchant_api, monnify, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"bank_account_resolve": "2/hour"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        codes = [
            merchant_api.post("/api/v1/payments/bank-accounts/resolve", ADA, format="json").status_code
            for _ in range(3)
        ]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [200, 200, 429]


def test_dashboard_page_adds_and_lists(client, merchant, monnify):
    client.login(email=merchant.email, password=DEFAULT_PASSWORD)
    page = client.get("/dashboard/payments/bank-accounts/")
    assert page.status_code == 200
    assert "GTBank" in page.content.decode()
    response = client.post(
        "/dashboard/payments/bank-accounts/", {"bank_code": "058", "account_number": "0123456789"}
    )
    assert response.status_code == 302
    page = client.get("/dashboard/payments/bank-accounts/").content.decode()
    assert "ADAEZE OKAFOR" in page and "primary" in page


def test_dashboard_shows_enquiry_failure_and_adds_nothing(client, merchant, monnify):
    client.login(email=merchant.email, password=DEFAULT_PASSWORD)
    response = client.post(
        "/dashboard/payments/bank-accounts/", {"bank_code": "058", "account_number": "0000000000"}
    )
    assert response.status_code == 200
    assert "We could not find that account" in response.content.decode()
    assert BankAccount.objects.count() == 0


def test_dashboard_actions_on_another_merchants_account(client, other_merchant, merchant, monnify):
    account = services.bank_account_add(user=merchant, account_number="0123456789", bank_code="058")
    client.login(email=other_merchant.email, password=DEFAULT_PASSWORD)
    client.post(f"/dashboard/payments/bank-accounts/{account.pk}/delete")
    assert BankAccount.objects.get(pk=account.pk).deleted_at is None


def test_dashboard_needs_login(client, monnify):
    response = client.get("/dashboard/payments/bank-accounts/")
    assert response.status_code == 302


def test_name_enquiry_uses_the_banks_record(merchant_api, monnify):
    monnify.add_account("1112223334", "044", "CHIOMA NWOSU")
    response = merchant_api.post(
        "/api/v1/payments/bank-accounts", {"accountNumber": "1112223334", "bankCode": "044"}, format="json"
    )
    assert response.json()["data"]["accountName"] == "CHIOMA NWOSU"
