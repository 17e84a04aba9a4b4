"""Pay on delivery's arithmetic: the split, the ₦500 floor, the refund policy, the fee."""

import random
from decimal import Decimal

import pytest

from orders import pod
from orders.models import DepositKind, RefundPolicy


def test_percent_split_rounds_half_up_once_and_adds_up():
    split = pod.deposit_split(total=Decimal("3333.33"), kind=DepositKind.PERCENT, value=Decimal("30"))
    # 30 % of 3,333.33 is 999.999: half up to the kobo once, the balance is the rest.
    assert (split.deposit, split.balance) == (Decimal("1000.00"), Decimal("2333.33"))
    split = pod.deposit_split(total=Decimal("1666.65"), kind=DepositKind.PERCENT, value=Decimal("33"))
    # 549.9945 → 549.99 (not 550.00: the third decimal is 4)
    assert (split.deposit, split.balance) == (Decimal("549.99"), Decimal("1116.66"))
    split = pod.deposit_split(total=Decimal("1750.50"), kind=DepositKind.PERCENT, value=Decimal("50"))
    assert (split.deposit, split.balance) == (Decimal("875.25"), Decimal("875.25"))


@pytest.mark.parametrize("kind", [DepositKind.PERCENT, DepositKind.FIXED])
def test_deposit_and_balance_add_up_to_the_total_to_the_kobo_over_many_totals(kind):
    chooser = random.Random(14)  # a fixed seed: the same 5,000 cases every run
    checked = 0
    for _ in range(5000):
        total = Decimal(chooser.randint(50_000, 999_999_999_999)) / 100
        value = (
            Decimal(chooser.randint(100, 10_000)) / 100
            if kind == DepositKind.PERCENT
            else Decimal(chooser.randint(50_000, 5_000_000)) / 100
        )
        try:
            split = pod.deposit_split(total=total, kind=kind, value=value)
        except pod.DepositTooSmall:
            expected = (total * value / 100) if kind == DepositKind.PERCENT else value
            assert expected.quantize(Decimal("0.01")) < 500 or expected.quantize(Decimal("0.01")) >= total
            continue
        checked += 1
        assert split.deposit + split.balance == total
        assert split.deposit >= Decimal("500.00") and split.balance > 0
        assert split.deposit == split.deposit.quantize(Decimal("0.01"))
        if kind == DepositKind.FIXED:
            assert split.deposit == value
    assert checked > 3000


def test_deposit_under_500_or_over_the_total_is_refused():
    with pytest.raises(pod.DepositTooSmall, match=r"₦499\.99; the least is ₦500"):
        pod.deposit_split(total=Decimal("1666.63"), kind=DepositKind.PERCENT, value=Decimal("30"))
    with pytest.raises(pod.DepositTooSmall, match="covers the order's ₦1,200"):
        pod.deposit_split(total=Decimal("1200"), kind=DepositKind.FIXED, value=Decimal("1500"))
    # a deposit of the whole total leaves nothing for the door: that order is paid now
    with pytest.raises(pod.DepositTooSmall, match="covers the order's ₦1,500"):
        pod.deposit_split(total=Decimal("1500"), kind=DepositKind.FIXED, value=Decimal("1500"))
    with pytest.raises(pod.DepositTooSmall):
        pod.deposit_split(total=Decimal("900"), kind=DepositKind.PERCENT, value=Decimal("100"))
    least = pod.deposit_split(total=Decimal("1500.01"), kind=DepositKind.FIXED, value=Decimal("1500"))
    assert (least.deposit, least.balance) == (Decimal("1500.00"), Decimal("0.01"))


def test_cancellation_refund_follows_the_policy_exactly():
    deposit = Decimal("1000.01")
    assert pod.cancellation_refund(
        deposit=deposit, policy=RefundPolicy.FULL, keep_percent=Decimal(0)
    ) == Decimal("1000.01")
    assert pod.cancellation_refund(
        deposit=deposit, policy=RefundPolicy.KEEP_DEPOSIT, keep_percent=Decimal(0)
    ) == Decimal("0.00")
    # keeps 25 % of 1,000.01 = 250.0025 → 250.00, refunds 750.01
    assert pod.cancellation_refund(
        deposit=deposit, policy=RefundPolicy.KEEP_PERCENT, keep_percent=Decimal("25")
    ) == Decimal("750.01")


def test_platform_fee_comes_from_the_deposit_first():
    assert pod.fee_split(fee=Decimal("250.00"), deposit=Decimal("3000.00")) == (
        Decimal("250.00"),
        Decimal("0.00"),
    )
    assert pod.fee_split(fee=Decimal("1250.00"), deposit=Decimal("500.00")) == (
        Decimal("500.00"),
        Decimal("750.00"),
    )


def test_areas_match_a_whole_state_or_one_lga():
    settings = pod.PodSettings(
        enabled=True, areas=[{"state": "Lagos", "lga": ""}, {"state": "Ogun", "lga": "Abeokuta South"}]
    )
    assert pod.area_qualifies(settings, state="Lagos", lga="Ikeja")
    assert pod.area_qualifies(settings, state="Ogun", lga="Abeokuta South")
    assert not pod.area_qualifies(settings, state="Ogun", lga="Ijebu Ode")
    assert not pod.area_qualifies(settings, state="Kano", lga="")
    settings.enabled = False
    assert not pod.area_qualifies(settings, state="Lagos", lga="Ikeja")
