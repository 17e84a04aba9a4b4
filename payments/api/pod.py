"""The balance of a pay-on-delivery order, recorded by its merchant through the API."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from config.api.responses import success_response
from orders.api.serializers import OrderSerializer
from orders.selectors import order_get_for_owner
from payments import services


class BalanceRecordSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=[("cash", "Collected in cash"), ("transfer", "Open a Monnify account for it")]
    )


class BalanceAccountSerializer(serializers.Serializer):
    reference = serializers.CharField(source="payment_reference")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    status = serializers.CharField()
    account_number = serializers.CharField(allow_null=True)
    account_name = serializers.CharField(allow_null=True)
    bank_name = serializers.CharField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)


class BalanceRecordResult(serializers.Serializer):
    order = OrderSerializer()
    account = BalanceAccountSerializer(allow_null=True)


class OrderBalanceApi(APIView):
    @extend_schema(
        summary="Record a pay-on-delivery order's balance",
        description=(
            "`cash`: the merchant collected the balance; the order becomes fully paid (again: 200, "
            "nothing changes). It is recorded, and never added to the Monnify-held balance. "
            "`transfer`: a Monnify one-time account for the balance is opened after the answer "
            "(`account.accountNumber` is null until then: read it again here or from "
            "`GET /payments/verify/{reference}`); its payment, confirmed by webhook, makes the order "
            "fully paid. 409 before the deposit is paid, after cancelling, or when the balance is paid."
        ),
        request=BalanceRecordSerializer,
        responses={200: BalanceRecordResult, 404: OpenApiResponse(description="No such order of yours")},
        tags=["payments"],
    )
    def post(self, request, order_id):
        form = BalanceRecordSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        account = None
        if form.validated_data["method"] == "cash":
            recorded = services.pod_balance_record_cash(user=request.user, order_id=order_id)
            message = "Balance recorded as cash" if recorded else "The balance was already recorded"
        else:
            account = services.pod_balance_account_open(user=request.user, order_id=order_id)
            account.refresh_from_db()
            message = "Monnify account for the balance opened"
        order = order_get_for_owner(user=request.user, order_id=order_id)
        return success_response(
            {
                "order": OrderSerializer(order).data,
                "account": BalanceAccountSerializer(account).data if account else None,
            },
            message=message,
        )
