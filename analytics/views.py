"""The dashboard home (/dashboard/) and the reports (/dashboard/analytics/…): they read the
selectors and hand the figures to the templates; the charts come drawn from analytics.charts."""

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from analytics import charts, selectors, services
from analytics.forms import PeriodForm
from analytics.models import Dimension
from analytics.pod import pod_summary
from config.money import naira
from config.spreadsheet import spreadsheet_safe

RECENT_ORDERS = 6
REPORT_ROWS = 50

# slug: (title, dimension or None, what a row is, ranking chart's value)
REPORTS = {
    "sales": ("Sales over time", None, "Period", "revenue"),
    "products": ("By product", Dimension.PRODUCT, "Product", "revenue"),
    "categories": ("By category", Dimension.CATEGORY, "Category", "revenue"),
    "states": ("By state", Dimension.STATE, "State", "revenue"),
    "lgas": ("By LGA", Dimension.LGA, "LGA", "revenue"),
    "payment-methods": ("By payment method", Dimension.METHOD, "Payment method", "revenue"),
    "coupons": ("By coupon", Dimension.COUPON, "Coupon", "revenue"),
    "customers": ("Customers", Dimension.CUSTOMER, "Customer", "revenue"),
}
CARDS = [
    ("Revenue before fee", "revenue", True),
    ("Net after platform fee", "net_revenue", True),
    ("Sales (paid orders)", "sales", False),
    ("Average order value", "average_order_value", True),
    ("Customers", "customers", False),
    ("New customers", "new_customers", False),
    ("Returning customers", "returning_customers", False),
    ("Items sold", "items_sold", False),
    ("Refunded", "refunded", True),
]


class _Echo:
    def write(self, value):
        return value


def _scope(request):
    """The caller's stores, the form, and the chosen period and store ids; 400 on bad input."""
    if settings.ANALYTICS_CATCH_UP_ON_READ:
        # No beat runs the catch-up job on the embedded defaults (`make run`): bring the
        # rollups up to date before reading them, so a demo order shows at once.
        services.rollups_catch_up()
    stores = selectors.stores_for_owner(user=request.user)
    form = PeriodForm(request.GET or None, stores=stores)
    period, store_id = form.chosen()
    store_ids = selectors.stores_in_scope(stores=stores, store_id=store_id)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return stores, form, period, store_ids, status


def _cards(current, previous) -> list[dict]:
    cards = []
    for label, name, money in CARDS:
        now, before = getattr(current, name), getattr(previous, name)
        change = selectors.percent_change(now, before)
        cards.append(
            {
                "label": label,
                "value": naira(now) if money else f"{now:,}",
                "previous": naira(before) if money else f"{before:,}",
                "change": change,
                # A refund rising is not good news: the arrow's colour says which way is better.
                "direction": "flat" if not change else ("up" if change > 0 else "down"),
                "worse_when_up": name == "refunded",
            }
        )
    return cards


@login_required
@require_GET
def dashboard_home(request):
    stores, form, period, store_ids, status = _scope(request)
    context = {"form": form, "period": period, "stores": stores, "query": form.query()}
    if not stores or not selectors.has_orders(store_ids=store_ids):
        # A new merchant gets the next steps (open the store, add a product, share the
        # link), not a page of zeros.
        context["first_store"] = stores[0] if stores else None
        context["has_products"] = bool(stores) and selectors.has_products(store_ids=store_ids)
        return render(request, "analytics/home_empty.html", context, status=status)
    updated_at = selectors.rollups_reached_at()
    home = selectors.home_figures(
        store_ids=store_ids, period=period, reached_at=updated_at, top=selectors.TOP_PRODUCTS
    )
    context.update(
        current=home.current,
        previous_period=period.previous(),
        cards=_cards(home.current, home.previous),
        points=home.points,
        chart=charts.revenue_chart(home.points),
        attention=selectors.attention(user=request.user, store_ids=store_ids),
        recent=selectors.recent_orders(store_ids=store_ids, limit=RECENT_ORDERS),
        top_revenue=home.top_revenue,
        top_units=home.top_units,
        recovered=selectors.recovered(store_ids=store_ids, period=period),
        # The recovery page shows one store at a time: the chosen one, or its own default.
        recovery_store=store_ids[0] if len(store_ids) == 1 else "",
        updated_at=updated_at,
        pod=pod_summary(store_ids=store_ids, period=period),
    )
    return render(request, "analytics/home.html", context, status=status)


def _report_rows(report, store_ids, period, limit=None):
    _title, dimension, _noun, value = REPORTS[report]
    if dimension is None:
        return selectors.series(store_ids=store_ids, period=period, group=period.default_group())
    return selectors.breakdown(
        store_ids=store_ids, period=period, dimension=dimension, order_by=value, limit=limit
    )


@login_required
@require_GET
def report(request, report="sales"):
    if report not in REPORTS:
        raise Http404("No such report")
    stores, form, period, store_ids, status = _scope(request)
    title, dimension, noun, value = REPORTS[report]
    context = {
        "form": form,
        "period": period,
        "stores": stores,
        "reports": [(slug, spec[0]) for slug, spec in REPORTS.items()],
        "report": report,
        "title": title,
        "noun": noun,
        "query": form.query(),
        "updated_at": selectors.rollups_reached_at(),
    }
    if dimension is None:
        points = _report_rows(report, store_ids, period)
        context.update(
            points=points,
            chart=charts.revenue_chart(points),
            total=selectors.figures(store_ids=store_ids, period=period),
            pod=pod_summary(store_ids=store_ids, period=period),
        )
    else:
        rows = _report_rows(report, store_ids, period, limit=REPORT_ROWS)
        context.update(rows=rows, ranking=charts.ranking_chart(rows[:10], value=value))
        if report == "customers":
            context["customers"] = selectors.customers_summary(store_ids=store_ids, period=period, limit=0)
        if report == "products":
            context["by_units"] = selectors.breakdown(
                store_ids=store_ids, period=period, dimension=dimension, order_by="units", limit=10
            )
    return render(request, "analytics/report.html", context, status=status)


def _csv_lines(report, store_ids, period):
    writer = csv.writer(_Echo())
    _title, dimension, noun, _value = REPORTS[report]
    if dimension is None:
        yield writer.writerow(
            [
                "Period start",
                "Sales",
                "Revenue before fee",
                "Platform fee",
                "Net revenue",
                "Items sold",
                "Refunded",
            ]
        )
        for point in _report_rows(report, store_ids, period):
            yield writer.writerow(
                [
                    point.start.isoformat(),
                    point.orders,
                    point.revenue,
                    point.fees,
                    point.net_revenue,
                    point.items_sold,
                    point.refunded,
                ]
            )
        return
    key_title = {"customers": "Phone", "products": "Product id"}.get(report, "Key")
    yield writer.writerow([noun, key_title, "Orders", "Units", "Revenue", "Discount"])
    for row in _report_rows(report, store_ids, period):
        yield writer.writerow(
            [
                spreadsheet_safe(value)
                for value in (
                    row["label"],
                    row["key"],
                    row["orders"],
                    row["units"],
                    row["revenue"],
                    row["discount"],
                )
            ]
        )


@login_required
@require_GET
def report_export(request, report):
    if report not in REPORTS:
        raise Http404("No such report")
    _stores, form, period, store_ids, status = _scope(request)
    if status != 200:
        return render(request, "dashboard/400.html", {"form": form}, status=400)
    response = StreamingHttpResponse(
        _csv_lines(report, store_ids, period), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{report}-{period.first}-{period.last}.csv"'
    return response
