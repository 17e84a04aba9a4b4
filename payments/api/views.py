from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from config.api.pagination import BoundedPagePagination
from config.api.parsers import WEBHOOK_BODY_BYTES
from config.api.responses import success_response
from config.http import client_ip
from payments import selectors, services
from payments.api.serializers import (
    AccountLookupSerializer,
    BalanceSerializer,
    BankAccountSerializer,
    BankAccountUpdateSerializer,
    BankSerializer,
    MerchantPaymentSerializer,
    PaymentPublicSerializer,
    PayoutRequestSerializer,
    PayoutSerializer,
    RefundRequestSerializer,
    RefundSerializer,
    ResolvedAccountSerializer,
)

BANK_TAGS = ["bank accounts"]


class MonnifyWebhookView(APIView):
    """Monnify's notifications. Authenticated by the monnify-signature HMAC, not by a user."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    max_body_bytes = WEBHOOK_BODY_BYTES

    @extend_schema(
        request={"application/json": {"type": "object"}},
        responses={
            200: OpenApiResponse(description="Recorded (or already recorded)"),
            401: OpenApiResponse(description="Missing or invalid monnify-signature"),
            403: OpenApiResponse(description="Source address not in MONNIFY_WEBHOOK_ALLOWED_IPS"),
        },
        tags=["webhooks"],
    )
    def post(self, request):
        # The raw bytes, untouched: the signature covers them exactly.
        event = services.monnify_webhook_receive(
            body=request.body,
            headers=request.headers,
            remote_addr=client_ip(request),
        )
        return success_response(None, message="Received" if event else "Already received")


class PaymentVerifyView(APIView):
    """A payment's state for the shopper's payment page (public: the reference is the key)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses=PaymentPublicSerializer, tags=["payments"])
    def get(self, request, reference):
        payment = services.payment_refresh_if_due(payment=selectors.payment_get_public(reference=reference))
        return success_response(PaymentPublicSerializer(payment).data)


class BankListView(APIView):
    @extend_schema(responses=BankSerializer(many=True), tags=BANK_TAGS)
    def get(self, request):
        return success_response(BankSerializer(services.bank_list(), many=True).data)


class BankAccountResolveView(APIView):
    """Name enquiry through Monnify. Throttled: it reveals the name on any account."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "bank_account_resolve"

    @extend_schema(request=AccountLookupSerializer, responses=ResolvedAccountSerializer, tags=BANK_TAGS)
    def post(self, request):
        lookup = AccountLookupSerializer(data=request.data)
        lookup.is_valid(raise_exception=True)
        resolved = services.bank_account_resolve(**lookup.validated_data)
        return success_response(ResolvedAccountSerializer(resolved).data)


class BankAccountListView(ListAPIView):
    serializer_class = BankAccountSerializer

    def get_throttles(self):
        if self.request.method == "POST":
            self.throttle_scope = "bank_account_resolve"
            return [ScopedRateThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        return selectors.bank_accounts_for_user(user=self.request.user)

    @extend_schema(tags=BANK_TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=AccountLookupSerializer, responses={201: BankAccountSerializer}, tags=BANK_TAGS)
    def post(self, request):
        lookup = AccountLookupSerializer(data=request.data)
        lookup.is_valid(raise_exception=True)
        account = services.bank_account_add(user=request.user, **lookup.validated_data)
        return success_response(BankAccountSerializer(account).data, message="Bank account added", status=201)


class BankAccountDetailView(APIView):
    @extend_schema(request=BankAccountUpdateSerializer, responses=BankAccountSerializer, tags=BANK_TAGS)
    def patch(self, request, account_id):
        update = BankAccountUpdateSerializer(data=request.data)
        update.is_valid(raise_exception=True)
        account = services.bank_account_make_primary(user=request.user, account_id=account_id)
        return success_response(BankAccountSerializer(account).data, message="Primary account set")

    @extend_schema(responses={200: None}, tags=BANK_TAGS)
    def delete(self, request, account_id):
        services.bank_account_delete(user=request.user, account_id=account_id)
        return success_response(None, message="Bank account removed")


PAYOUT_TAGS = ["payouts"]


class BalanceView(APIView):
    @extend_schema(responses=BalanceSerializer, tags=PAYOUT_TAGS)
    def get(self, request):
        data = {
            "available": selectors.ledger_balance(user=request.user),
            "currency": "NGN",
            "minimum_payout": settings.PAYOUT_MINIMUM_AMOUNT,
        }
        return success_response(BalanceSerializer(data).data)


class PayoutListView(ListAPIView):
    serializer_class = PayoutSerializer

    def get_queryset(self):
        return selectors.payouts_for_user(user=self.request.user)

    @extend_schema(tags=PAYOUT_TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PayoutRequestSerializer, responses={201: PayoutSerializer}, tags=PAYOUT_TAGS)
    def post(self, request):
        form = PayoutRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        payout = services.payout_request(user=request.user, **form.validated_data)
        payout.refresh_from_db()
        return success_response(PayoutSerializer(payout).data, message="Payout requested", status=201)


class PayoutDetailView(APIView):
    @extend_schema(responses=PayoutSerializer, tags=PAYOUT_TAGS)
    def get(self, request, payout_id):
        return success_response(
            PayoutSerializer(selectors.payout_get(user=request.user, payout_id=payout_id)).data
        )


class PaymentListView(ListAPIView):
    """The merchant's payments, newest first; `?status=` filters."""

    serializer_class = MerchantPaymentSerializer
    # A merchant may hold millions: the count stops at 10,000 (`totalCapped`).
    pagination_class = BoundedPagePagination

    def get_queryset(self):
        payments = selectors.payments_for_merchant(user=self.request.user).only(*MERCHANT_PAYMENT_FIELDS)
        status = self.request.query_params.get("status")
        return payments.filter(status=status) if status else payments

    @extend_schema(tags=["payments"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PaymentDetailView(APIView):
    @extend_schema(responses=MerchantPaymentSerializer, tags=["payments"])
    def get(self, request, payment_id):
        payment = selectors.payment_get_for_merchant(user=request.user, payment_id=payment_id)
        return success_response(MerchantPaymentSerializer(payment).data)


class PaymentRefundView(APIView):
    """Send money that arrived back to the shopper: a paid payment (all or part, e.g. an
    overpayment's excess), or a late or short transfer to an expired payment.

    Money credited to the balance leaves it now (and returns if Monnify fails the refund); money
    that never reached the balance does not touch it. If Monnify is unreachable the refund stays
    `pending` and is sent by the periodic re-query.
    """

    @extend_schema(
        request=RefundRequestSerializer,
        responses={
            201: RefundSerializer,
            400: OpenApiResponse(description="Amount below ₦10 or above what is refundable; balance too low"),
            404: OpenApiResponse(description="No such payment of yours"),
            409: OpenApiResponse(description="Nothing refundable: unpaid, still open, reversed or refunded"),
        },
        tags=["payments"],
    )
    def post(self, request, payment_id):
        form = RefundRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        payment = selectors.payment_get_for_merchant(user=request.user, payment_id=payment_id)
        amount = form.validated_data.get("amount")
        refund = services.payment_refund_start(
            payment=payment,
            user=request.user,
            reason=form.validated_data["reason"],
            amount=selectors.payment_refund_suggestion(payment=payment) if amount is None else amount,
        )
        refund.refresh_from_db()
        return success_response(RefundSerializer(refund).data, message="Refund started", status=201)


MERCHANT_PAYMENT_FIELDS = (
    "id",
    "payment_reference",
    "monnify_reference",
    "amount",
    "currency",
    "status",
    "payment_method",
    "metadata",
    "paid_at",
    "expires_at",
    "created_at",
    "order__id",
    "order__order_number",
)
