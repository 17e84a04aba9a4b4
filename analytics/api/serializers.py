"""The analytics API's shapes. Keys are snake_case here; the renderer camelCases them to the
names the original web client reads (totalRevenue, chartData, …)."""

from rest_framework import serializers

from analytics.periods import API_PERIODS, GROUPS, PERIODS

MONEY = {"max_digits": 14, "decimal_places": 2}


class AnalyticsPeriodQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=sorted({*API_PERIODS, *PERIODS}), required=False, default="month"
    )
    # The query's `from` and `to` (`from` is a Python keyword).
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    store_id = serializers.CharField(required=False, allow_blank=True, max_length=36)
    group_by = serializers.ChoiceField(choices=GROUPS, required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50, default=10)


class AnalyticsFiguresSerializer(serializers.Serializer):
    total_revenue = serializers.DecimalField(
        source="revenue", help_text="Paid, not cancelled orders' totals, before the platform fee", **MONEY
    )
    net_revenue = serializers.DecimalField(help_text="totalRevenue less the platform fee", **MONEY)
    platform_fees = serializers.DecimalField(source="fees", **MONEY)
    total_orders = serializers.IntegerField(source="sales", help_text="Paid orders (sales)")
    orders_placed = serializers.IntegerField(help_text="Every order placed, paid or not")
    pending_orders = serializers.IntegerField(
        source="pending", help_text="Orders placed in the period still awaiting payment"
    )
    cancelled_orders = serializers.IntegerField(source="cancelled")
    average_order_value = serializers.DecimalField(**MONEY)
    total_customers = serializers.IntegerField(
        source="customers", help_text="Distinct phone numbers with a paid order"
    )
    new_customers = serializers.IntegerField()
    returning_customers = serializers.IntegerField()
    items_sold = serializers.IntegerField()
    refunds = serializers.IntegerField(help_text="Refunds started in the period (failed ones excluded)")
    refunded_amount = serializers.DecimalField(source="refunded", **MONEY)


class AnalyticsPeriodSerializer(serializers.Serializer):
    period = serializers.CharField(source="key")
    from_date = serializers.DateField(source="first")
    to_date = serializers.DateField(source="last")


class AnalyticsRecentOrderSerializer(serializers.Serializer):
    id = serializers.CharField()
    order_number = serializers.CharField()
    customer_name = serializers.CharField()
    total = serializers.DecimalField(**MONEY)
    status = serializers.CharField()
    payment_status = serializers.CharField()
    created_at = serializers.DateTimeField()


class AnalyticsTopProductSerializer(serializers.Serializer):
    id = serializers.CharField(source="key")
    name = serializers.CharField(source="label")
    total_sold = serializers.IntegerField(source="units")
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(**MONEY)
    views = serializers.IntegerField(help_text="Product page views since the product was listed")
    conversion = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        help_text="Orders containing the product per 100 views, lifetime",
    )


class AnalyticsStoreSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(source="display_name")
    username = serializers.CharField()


class AnalyticsDashboardSerializer(AnalyticsFiguresSerializer):
    period = AnalyticsPeriodSerializer()
    previous = AnalyticsFiguresSerializer()
    previous_period = AnalyticsPeriodSerializer()
    recent_orders = AnalyticsRecentOrderSerializer(many=True)
    top_products = AnalyticsTopProductSerializer(many=True)
    recovered_orders = serializers.IntegerField(
        source="recovered.orders",
        help_text="Orders paid in the period after a recovery reminder (unpaid, expired or "
        "abandoned checkout) brought the shopper back; each order once",
    )
    recovered_revenue = serializers.DecimalField(
        source="recovered.revenue", help_text="Those orders' totals", **MONEY
    )
    stores = AnalyticsStoreSerializer(many=True)


class AnalyticsChartPointSerializer(serializers.Serializer):
    period = serializers.DateField(source="start", help_text="First day of the day, week (Monday) or month")
    revenue = serializers.DecimalField(**MONEY)
    net_revenue = serializers.DecimalField(**MONEY)
    orders = serializers.IntegerField(help_text="Paid orders")
    items_sold = serializers.IntegerField()
    refunded = serializers.DecimalField(**MONEY)


class AnalyticsRevenueSerializer(serializers.Serializer):
    total_revenue = serializers.DecimalField(**MONEY)
    net_revenue = serializers.DecimalField(**MONEY)
    previous_revenue = serializers.DecimalField(**MONEY)
    growth = serializers.DecimalField(
        max_digits=10, decimal_places=1, allow_null=True, help_text="Per cent change on the previous period"
    )
    group_by = serializers.CharField()
    period = AnalyticsPeriodSerializer()
    chart_data = AnalyticsChartPointSerializer(many=True)


class AnalyticsCustomerRowSerializer(serializers.Serializer):
    phone = serializers.CharField(source="key")
    name = serializers.CharField(source="label")
    orders = serializers.IntegerField()
    total_spent = serializers.DecimalField(source="revenue", **MONEY)


class AnalyticsCustomersSerializer(serializers.Serializer):
    total_customers = serializers.IntegerField(source="customers")
    new_customers = serializers.IntegerField()
    returning_customers = serializers.IntegerField(source="returning")
    repeat_customers = serializers.IntegerField(source="repeat")
    repeat_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    period = AnalyticsPeriodSerializer()
    top_customers = AnalyticsCustomerRowSerializer(many=True, source="top")


class AnalyticsStatusCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    orders = serializers.IntegerField()
    total = serializers.DecimalField(**MONEY)


class AnalyticsStatusPointSerializer(serializers.Serializer):
    period = serializers.DateField()
    pending = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    processing = serializers.IntegerField()
    shipped = serializers.IntegerField()
    delivered = serializers.IntegerField()
    fulfilled = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class AnalyticsOrdersSerializer(serializers.Serializer):
    total_orders = serializers.IntegerField(help_text="Every order placed in the period")
    paid_orders = serializers.IntegerField()
    average_order_value = serializers.DecimalField(**MONEY)
    by_status = AnalyticsStatusCountSerializer(many=True)
    group_by = serializers.CharField()
    period = AnalyticsPeriodSerializer()
    chart_data = AnalyticsStatusPointSerializer(many=True)
