"""The orders API. Views translate JSON into service calls; every merchant endpoint is
scoped to the caller's stores, so another merchant's id is simply not found (404)."""

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from config.api.pagination import BoundedPagePagination, keyset_response
from config.api.responses import success_response
from config.http import client_ip
from orders import exports, selectors, services, tracking
from orders.api.serializers import (
    CancelSerializer,
    CheckoutSerializer,
    CouponSerializer,
    CustomerSerializer,
    DeliveryRateSerializer,
    DeliverySettingsSerializer,
    OrderFilterSerializer,
    OrderListSerializer,
    OrderSerializer,
    PlacedOrderSerializer,
    PublicOrderSerializer,
    StatusChangeSerializer,
    checkout_customer,
)
from stores.selectors import store_get_for_checkout, store_get_owned


def _filters(request) -> dict:
    raw = {key: value for key, value in request.query_params.items() if value != ""}
    aliases = {
        "paymentStatus": "payment_status",
        "dateFrom": "date_from",
        "dateTo": "date_to",
        "storeId": "store",
        "search": "q",
    }
    for camel, snake in aliases.items():
        if camel in raw:
            raw[snake] = raw.pop(camel)
    serializer = OrderFilterSerializer(data=raw)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


CURSOR_HELP = (
    "Keyset pagination for any depth: send `cursor=` (empty) for the first page, then the "
    "`pagination.nextCursor` (older orders) or `previousCursor` (newer) of the last answer. "
    "Without it, `page` counts pages over the first 10,000 orders."
)


def _limit(request, default: int = 20) -> int:
    try:
        return min(max(int(request.query_params.get("limit", default)), 1), 100)
    except ValueError:
        return default


class OrderListCreateApi(GenericAPIView):
    serializer_class = OrderListSerializer
    pagination_class = BoundedPagePagination

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        summary="The caller's orders",
        description=(
            "Newest first. `q`: a phone number (any Nigerian format) or an order number matches "
            "exactly, other text matches the start of the customer's name."
        ),
        parameters=[
            *(
                OpenApiParameter(name, str)
                for name in ("store", "status", "paymentStatus", "dateFrom", "dateTo", "q", "page", "limit")
            ),
            OpenApiParameter("cursor", str, description=CURSOR_HELP),
        ],
        responses=OrderListSerializer(many=True),
    )
    def get(self, request):
        filters = _filters(request)
        if "cursor" in request.query_params:
            page = selectors.order_page_for_owner(
                user=request.user,
                filters=filters,
                cursor=request.query_params["cursor"] or None,
                limit=_limit(request),
            )
            return keyset_response(page, OrderListSerializer(page.object_list, many=True).data)
        orders = selectors.order_list_for_owner(user=request.user, filters=filters)
        rows = self.paginate_queryset(orders)
        return self.get_paginated_response(OrderListSerializer(rows, many=True).data)

    @extend_schema(
        summary="Place an order (public checkout)",
        request=CheckoutSerializer,
        responses={201: PlacedOrderSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request):
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = services.order_place(
            store=store_get_for_checkout(store_id=data.get("store_id"), username=data.get("store_username")),
            customer=checkout_customer(data),
            lines=data["items"],
            coupon_code=data.get("coupon_code"),
            idempotency_key=request.headers.get("Idempotency-Key"),
            delivery_method=data["delivery_method"],
            expected_total=data.get("total"),
            payment_plan=data["payment_plan"],
            expected_deposit=data.get("deposit"),
        )
        order = selectors.order_get_by_number(order_number=order.order_number)
        return success_response(PlacedOrderSerializer(order).data, message="Order placed", status=201)


class OrderDetailApi(APIView):
    @extend_schema(summary="One of the caller's orders", responses=OrderSerializer)
    def get(self, request, order_id):
        order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
        return success_response(OrderSerializer(order).data)


def _owner_order_response(request, order_id, message):
    order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
    return success_response(OrderSerializer(order).data, message=message)


class OrderStatusApi(APIView):
    @extend_schema(
        summary="Change an order's status", request=StatusChangeSerializer, responses=OrderSerializer
    )
    def patch(self, request, order_id):
        order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.order_transition(
            order=order,
            to_status=serializer.validated_data["status"],
            actor=request.user,
            note=serializer.validated_data["note"],
        )
        return _owner_order_response(request, order_id, "Status updated")

    @extend_schema(
        summary="Change an order's status", request=StatusChangeSerializer, responses=OrderSerializer
    )
    def put(self, request, order_id):
        return self.patch(request, order_id)


class OrderCancelApi(APIView):
    @extend_schema(
        summary="Cancel an order and return its stock", request=CancelSerializer, responses=OrderSerializer
    )
    def post(self, request, order_id):
        order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.order_cancel(order=order, actor=request.user, note=serializer.validated_data["note"])
        return _owner_order_response(request, order_id, "Order cancelled")


class OrderTrackApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Track an order by its number",
        parameters=[
            OpenApiParameter("contact", str, description="Phone or email on the order: adds the details")
        ],
        responses=PlacedOrderSerializer,
    )
    def get(self, request, order_number):
        tracking.track_lookup_throttle(ip=client_ip(request))
        order = selectors.order_get_by_number(order_number=order_number)
        contact = request.query_params.get("contact") or request.query_params.get("phone") or ""
        contact = contact or request.query_params.get("email", "")
        if contact and tracking.track_contact_check(order=order, contact=contact):
            return success_response(PlacedOrderSerializer(order).data)
        return success_response(PublicOrderSerializer(order).data)


class OrderExportApi(APIView):
    @extend_schema(
        summary="The caller's orders as CSV (same filters as the list)", responses={(200, "text/csv"): str}
    )
    def get(self, request):
        store_ids = selectors.owner_store_ids(user=request.user)
        lines = exports.csv_chunks(store_ids=store_ids, filters=_filters(request))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="orders.csv"'
        return response


class CustomerListApi(GenericAPIView):
    serializer_class = CustomerSerializer

    @extend_schema(
        summary="The caller's customers: one row per store and phone number, most recent buyer first",
        description=(
            "`totalSpent` leaves out cancelled and refunded orders. `q`: a phone number matches "
            "exactly, other text the start of the name. Always keyset-paginated."
        ),
        parameters=[
            OpenApiParameter("store", str),
            OpenApiParameter("q", str),
            OpenApiParameter("limit", int),
            OpenApiParameter("cursor", str, description=CURSOR_HELP),
        ],
        responses=CustomerSerializer(many=True),
    )
    def get(self, request):
        page = selectors.customer_page_for_owner(
            user=request.user,
            store_id=request.query_params.get("store") or None,
            search=request.query_params.get("q", "")[:100],
            cursor=request.query_params.get("cursor") or None,
            limit=_limit(request),
        )
        return keyset_response(page, CustomerSerializer(page.object_list, many=True).data)


# --- Delivery rates, delivery settings, coupons ---


class DeliveryRateListApi(GenericAPIView):
    serializer_class = DeliveryRateSerializer

    @extend_schema(
        operation_id="orders_delivery_rates_list",
        parameters=[OpenApiParameter("store", str)],
        responses=DeliveryRateSerializer(many=True),
    )
    def get(self, request):
        rates = selectors.delivery_rates_for_owner(
            user=request.user, store_id=request.query_params.get("store")
        )
        page = self.paginate_queryset(rates)
        return self.get_paginated_response(DeliveryRateSerializer(page, many=True).data)

    def post(self, request):
        serializer = DeliveryRateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        store = store_get_owned(user=request.user, store_id=data["store_id"])
        rate = services.delivery_rate_save(
            store=store, state=data["state"], lga=data.get("lga"), fee=data["fee"]
        )
        return success_response(DeliveryRateSerializer(rate).data, message="Delivery rate saved", status=201)


class DeliveryRateDetailApi(GenericAPIView):
    serializer_class = DeliveryRateSerializer

    def get(self, request, rate_id):
        rate = selectors.delivery_rate_get_for_owner(user=request.user, rate_id=rate_id)
        return success_response(DeliveryRateSerializer(rate).data)

    def patch(self, request, rate_id):
        rate = selectors.delivery_rate_get_for_owner(user=request.user, rate_id=rate_id)
        serializer = DeliveryRateSerializer(rate, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "store_id" in data and data["store_id"] != rate.store_id:
            raise ValidationError({"store_id": "A rate cannot move to another store."})
        rate = services.delivery_rate_save(
            store=rate.store,
            state=data.get("state", rate.state),
            lga=data.get("lga", rate.lga),
            fee=data.get("fee", rate.fee),
            rate=rate,
        )
        return success_response(DeliveryRateSerializer(rate).data, message="Delivery rate saved")

    def put(self, request, rate_id):
        return self.patch(request, rate_id)

    def delete(self, request, rate_id):
        rate = selectors.delivery_rate_get_for_owner(user=request.user, rate_id=rate_id)
        services.delivery_rate_delete(rate=rate)
        return success_response(None, message="Delivery rate deleted")


class DeliverySettingsApi(GenericAPIView):
    serializer_class = DeliverySettingsSerializer

    def get(self, request, store_id):
        store = store_get_owned(user=request.user, store_id=store_id)
        return success_response(DeliverySettingsSerializer(selectors.delivery_settings_for(store=store)).data)

    def put(self, request, store_id):
        store = store_get_owned(user=request.user, store_id=store_id)
        serializer = DeliverySettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        row = services.delivery_settings_update(
            store=store,
            default_fee=data["default_fee"],
            free_pickup=data["free_pickup"],
            free_delivery_threshold=data.get("free_delivery_threshold"),
        )
        return success_response(DeliverySettingsSerializer(row).data, message="Delivery settings saved")

    def patch(self, request, store_id):
        return self.put(request, store_id)


class CouponListApi(GenericAPIView):
    serializer_class = CouponSerializer

    @extend_schema(
        operation_id="orders_coupons_list",
        parameters=[OpenApiParameter("store", str)],
        responses=CouponSerializer(many=True),
    )
    def get(self, request):
        coupons = selectors.coupons_for_owner(user=request.user, store_id=request.query_params.get("store"))
        page = self.paginate_queryset(coupons)
        return self.get_paginated_response(CouponSerializer(page, many=True).data)

    def post(self, request):
        serializer = CouponSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        store = store_get_owned(user=request.user, store_id=data.pop("store_id"))
        coupon = services.coupon_save(store=store, data=data)
        return success_response(CouponSerializer(coupon).data, message="Coupon created", status=201)


class CouponDetailApi(GenericAPIView):
    serializer_class = CouponSerializer

    def get(self, request, coupon_id):
        coupon = selectors.coupon_get_for_owner(user=request.user, coupon_id=coupon_id)
        return success_response(CouponSerializer(coupon).data)

    def patch(self, request, coupon_id):
        coupon = selectors.coupon_get_for_owner(user=request.user, coupon_id=coupon_id)
        serializer = CouponSerializer(coupon, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("store_id", coupon.store_id) != coupon.store_id:
            raise ValidationError({"store_id": "A coupon cannot move to another store."})
        coupon = services.coupon_save(store=coupon.store, data=data, coupon=coupon)
        return success_response(CouponSerializer(coupon).data, message="Coupon saved")

    def put(self, request, coupon_id):
        return self.patch(request, coupon_id)

    def delete(self, request, coupon_id):
        coupon = selectors.coupon_get_for_owner(user=request.user, coupon_id=coupon_id)
        services.coupon_delete(coupon=coupon)
        return success_response(None, message="Coupon deleted")
