from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from analytics import selectors
from analytics.api.serializers import (
    AnalyticsCustomersSerializer,
    AnalyticsDashboardSerializer,
    AnalyticsOrdersSerializer,
    AnalyticsPeriodQuerySerializer,
    AnalyticsRevenueSerializer,
    AnalyticsTopProductSerializer,
)
from analytics.periods import API_PERIODS, PERIODS, period_resolve
from config.api.responses import success_response

TAGS = ["analytics"]
PERIOD_HELP = (
    "today, week (last 7 days), month (last 30 days, the default), year (this year) or custom "
    "(with from and to); the dashboard's names (7d, 30d, this_month, last_month, this_year) work too"
)
PARAMETERS = [
    OpenApiParameter("period", str, enum=sorted({*API_PERIODS, *PERIODS}), description=PERIOD_HELP),
    OpenApiParameter("from", str, description="YYYY-MM-DD, Lagos time, with period=custom"),
    OpenApiParameter("to", str, description="YYYY-MM-DD, inclusive, with period=custom"),
    OpenApiParameter("storeId", str, description="one of your stores; all of them when left out"),
]
GROUP_BY = OpenApiParameter(
    "groupBy", str, enum=["day", "week", "month"], description="default: by the period's length"
)
FIGURES = (
    "revenue",
    "net_revenue",
    "fees",
    "sales",
    "orders_placed",
    "pending",
    "cancelled",
    "average_order_value",
    "customers",
    "new_customers",
    "returning_customers",
    "items_sold",
    "refunds",
    "refunded",
)
LIMIT = OpenApiParameter("limit", int, description="1 to 50, default 10")


class _AnalyticsView(APIView):
    def scope(self, request):
        params = request.query_params
        query = AnalyticsPeriodQuerySerializer(
            data={
                key: value
                for key, value in {
                    "period": params.get("period"),
                    "date_from": params.get("from"),
                    "date_to": params.get("to"),
                    "store_id": params.get("storeId", params.get("store_id")),
                    "group_by": params.get("groupBy", params.get("group_by")),
                    "limit": params.get("limit"),
                }.items()
                if value not in (None, "")
            }
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        period = period_resolve(
            API_PERIODS.get(data["period"], data["period"]),
            first=data.get("date_from"),
            last=data.get("date_to"),
        )
        stores = selectors.stores_for_owner(user=request.user)
        store_ids = selectors.stores_in_scope(stores=stores, store_id=data.get("store_id"))
        return stores, store_ids, period, data.get("group_by") or period.default_group(), data["limit"]


class DashboardView(_AnalyticsView):
    """The dashboard's figures for the period beside the previous period of the same length."""

    @extend_schema(parameters=PARAMETERS, responses=AnalyticsDashboardSerializer, tags=TAGS)
    def get(self, request):
        stores, store_ids, period, _group, _limit = self.scope(request)
        # The home's figures, kept (and shared with the home) until the next catch-up.
        home = selectors.home_figures(
            store_ids=store_ids,
            period=period,
            reached_at=selectors.rollups_reached_at(),
            top=selectors.TOP_PRODUCTS,
        )
        data = {
            **{name: getattr(home.current, name) for name in FIGURES},
            "period": period,
            "previous": home.previous,
            "previous_period": period.previous(),
            "recent_orders": selectors.recent_orders(store_ids=store_ids, limit=5),
            "top_products": home.top_revenue,
            "recovered": selectors.recovered(store_ids=store_ids, period=period),
            "stores": stores,
        }
        return success_response(AnalyticsDashboardSerializer(data).data)


class RevenueView(_AnalyticsView):
    @extend_schema(parameters=[*PARAMETERS, GROUP_BY], responses=AnalyticsRevenueSerializer, tags=TAGS)
    def get(self, request):
        _stores, store_ids, period, group, _limit = self.scope(request)
        points = selectors.series(store_ids=store_ids, period=period, group=group)
        current, previous = selectors.figures_with_previous(store_ids=store_ids, period=period)
        data = {
            "total_revenue": current.revenue,
            "net_revenue": current.net_revenue,
            "previous_revenue": previous.revenue,
            "growth": selectors.percent_change(current.revenue, previous.revenue),
            "group_by": group,
            "period": period,
            "chart_data": points,
        }
        return success_response(AnalyticsRevenueSerializer(data).data)


class TopProductsView(_AnalyticsView):
    @extend_schema(
        parameters=[*PARAMETERS, LIMIT], responses=AnalyticsTopProductSerializer(many=True), tags=TAGS
    )
    def get(self, request):
        _stores, store_ids, period, _group, limit = self.scope(request)
        rows = selectors.top_products(store_ids=store_ids, period=period, limit=limit)
        return success_response(AnalyticsTopProductSerializer(rows, many=True).data)


class CustomersView(_AnalyticsView):
    @extend_schema(parameters=[*PARAMETERS, LIMIT], responses=AnalyticsCustomersSerializer, tags=TAGS)
    def get(self, request):
        _stores, store_ids, period, _group, limit = self.scope(request)
        summary = selectors.customers_summary(store_ids=store_ids, period=period, limit=limit)
        data = {
            "customers": summary.customers,
            "new_customers": summary.customers - summary.returning,
            "returning": summary.returning,
            "repeat": summary.repeat,
            "repeat_rate": summary.repeat_rate,
            "period": period,
            "top": summary.top,
        }
        return success_response(AnalyticsCustomersSerializer(data).data)


class OrdersView(_AnalyticsView):
    @extend_schema(parameters=[*PARAMETERS, GROUP_BY], responses=AnalyticsOrdersSerializer, tags=TAGS)
    def get(self, request):
        _stores, store_ids, period, group, _limit = self.scope(request)
        counts = selectors.status_counts(store_ids=store_ids, period=period)
        current = selectors.figures(store_ids=store_ids, period=period)
        data = {
            "total_orders": current.orders_placed,
            "paid_orders": current.sales,
            "average_order_value": current.average_order_value,
            "by_status": [{"status": status, **values} for status, values in counts.items()],
            "group_by": group,
            "period": period,
            "chart_data": selectors.status_series(store_ids=store_ids, period=period, group=group),
        }
        return success_response(AnalyticsOrdersSerializer(data).data)
