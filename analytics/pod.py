"""Pay on delivery on the dashboard home and the sales report: deposits and balances apart.

Read live from the plans (a small indexed table), not from the rollups: what is still due at the
door changes when a courier comes back, not when an order is placed, so it has no day to roll
up under. Revenue itself stays the rollups' (analytics/rollups.py counts a paid deposit).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from analytics.periods import Period, day_start
from config.money import ZERO
from orders.models import OrderPaymentPlan, OrderStatus


@dataclass(frozen=True)
class PodSummary:
    deposits: Decimal  # deposits paid in the period
    deposit_orders: int
    balances_due: Decimal  # still to collect at the door now, whatever the period
    due_orders: int
    collected_cash: Decimal  # balances collected in the period, by how
    collected_transfer: Decimal

    @property
    def anything(self) -> bool:
        return bool(self.deposit_orders or self.due_orders or self.collected_cash or self.collected_transfer)


def pod_summary(*, store_ids: list[str], period: Period) -> PodSummary:
    since, until = day_start(period.first), day_start(period.last + datetime.timedelta(days=1))
    plans = OrderPaymentPlan.objects.filter(
        order__store_id__in=store_ids, order__deleted_at__isnull=True, deposit_paid_at__isnull=False
    )
    in_period = Q(deposit_paid_at__gte=since, deposit_paid_at__lt=until)
    collected = Q(balance_paid_at__gte=since, balance_paid_at__lt=until)
    due = Q(balance_paid_at__isnull=True) & ~Q(order__status=OrderStatus.CANCELLED)
    totals = plans.aggregate(
        deposits=Sum("deposit_amount", filter=in_period),
        deposit_orders=Count("pk", filter=in_period),
        balances_due=Sum("balance_amount", filter=due),
        due_orders=Count("pk", filter=due),
        cash=Sum("balance_amount", filter=collected & Q(balance_method="cash")),
        transfer=Sum("balance_amount", filter=collected & Q(balance_method="transfer")),
    )
    return PodSummary(
        deposits=totals["deposits"] or ZERO,
        deposit_orders=totals["deposit_orders"],
        balances_due=totals["balances_due"] or ZERO,
        due_orders=totals["due_orders"],
        collected_cash=totals["cash"] or ZERO,
        collected_transfer=totals["transfer"] or ZERO,
    )
