"""The onboarding wizard's last step adds the payout account (or is skipped)."""

import pytest

from accounts.models import User
from payments.models import BankAccount
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def onboarding(client, merchant):
    User.objects.filter(pk=merchant.pk).update(has_completed_onboarding=False)
    client.force_login(merchant)
    store = StoreFactory(user=merchant)
    return client, f"/dashboard/onboarding/{store.pk}/bank/"


def test_the_step_lists_banks_from_monnify(onboarding, monnify):
    client, url = onboarding
    page = client.get(url).content.decode()
    assert '<option value="058">GTBank</option>' in page


def test_adding_the_account_verifies_it_and_opens_the_store(onboarding, monnify, merchant):
    client, url = onboarding
    response = client.post(url, {"action": "add", "bank_code": "058", "account_number": "0123456789"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    account = BankAccount.objects.get(user=merchant)
    assert (account.account_name, account.is_verified, account.is_primary) == ("ADAEZE OKAFOR", True, True)
    merchant.refresh_from_db()
    assert merchant.has_completed_onboarding is True


def test_an_account_the_bank_does_not_know_is_refused_and_nothing_changes(onboarding, monnify, merchant):
    client, url = onboarding
    response = client.post(url, {"action": "add", "bank_code": "058", "account_number": "0000000000"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert BankAccount.objects.count() == 0
    merchant.refresh_from_db()
    assert merchant.has_completed_onboarding is False


def test_a_malformed_number_is_refused(onboarding, monnify, merchant):
    client, url = onboarding
    response = client.post(url, {"action": "add", "bank_code": "058", "account_number": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors["account_number"] == ["Enter the 10-digit account number."]
    assert BankAccount.objects.count() == 0


def test_skipping_opens_the_store_without_an_account(onboarding, monnify, merchant):
    client, url = onboarding
    assert client.post(url)["Location"] == "/dashboard/"
    assert BankAccount.objects.count() == 0
    merchant.refresh_from_db()
    assert merchant.has_completed_onboarding is True


def test_monnify_down_still_lets_the_merchant_finish(onboarding, monnify, merchant):
    client, url = onboarding
    monnify.stop()
    page = client.get(url).content.decode()
    assert "You can finish now and add your account later." in page
    assert client.post(url)["Location"] == "/dashboard/"
