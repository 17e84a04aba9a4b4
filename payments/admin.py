from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from config.admin import ReadOnlyAdmin
from config.errors import ServiceError
from payments import services
from payments.models import (
    BankAccount,
    LedgerEntry,
    MonnifyWebhookEvent,
    Payment,
    Payout,
    PayoutStatus,
    Receipt,
    Refund,
)
from payments.monnify import MonnifyError


def change_link(row, label=None):
    """A link to `row`'s own admin page, so staff can follow a payment to its order and back."""
    if row is None:
        return "-"
    meta = row._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
    return format_html('<a href="{}">{}</a>', url, label or row)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "payment_reference",
        "order_link",
        "amount",
        "status",
        "payment_method",
        "paid_at",
        "created_at",
    ]
    list_filter = ["status", "payment_method", "created_at"]
    search_fields = ["payment_reference", "monnify_reference", "order__order_number"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"

    @admin.display(description="Order", ordering="order__order_number")
    def order_link(self, payment):
        return change_link(payment.order, payment.order.order_number)


@admin.register(BankAccount)
class BankAccountAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "bank_name",
        "account_number",
        "account_name",
        "is_verified",
        "is_primary",
        "deleted_at",
    ]
    list_filter = ["is_verified", "is_primary", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["account_number", "account_name", "user__email"]
    list_select_related = ["user"]


@admin.register(MonnifyWebhookEvent)
class MonnifyWebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["event_type", "reference", "status", "received_at", "processed_at"]
    list_filter = ["event_type", "status", "received_at"]
    search_fields = ["reference"]
    date_hierarchy = "received_at"


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["merchant", "kind", "amount", "reference", "payment_link", "payout_link", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["reference", "merchant__email"]
    list_select_related = ["merchant", "payment", "payout"]
    date_hierarchy = "created_at"

    @admin.display(description="Payment")
    def payment_link(self, entry):
        return change_link(entry.payment, entry.payment and entry.payment.payment_reference)

    @admin.display(description="Payout")
    def payout_link(self, entry):
        return change_link(entry.payout, entry.payout and entry.payout.reference)


class OtpForm(forms.Form):
    otp = forms.CharField(label="OTP from Monnify's email", max_length=20)


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["reference", "merchant", "amount", "status", "bank_name", "account_number", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["reference", "monnify_reference", "merchant__email"]
    list_select_related = ["merchant"]
    date_hierarchy = "created_at"
    actions = ["approve", "reject", "authorize_with_otp", "requery"]

    def _each(self, request, queryset, action, done: str):
        succeeded = 0
        for payout in queryset:
            try:
                action(payout)
                succeeded += 1
            except ServiceError as error:
                self.message_user(request, f"{payout.reference}: {error.message}", messages.ERROR)
        if succeeded:
            self.message_user(request, f"{succeeded} payout(s) {done}.", messages.SUCCESS)

    @admin.action(description="Approve and send the selected payouts")
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda p: services.payout_approve(payout_id=p.pk, staff=request.user),
            "approved",
        )

    @admin.action(description="Reject the selected payouts (money returns to the balance)")
    def reject(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda p: services.payout_reject(payout_id=p.pk, staff=request.user),
            "rejected",
        )

    @admin.action(description="Re-check the selected payouts with Monnify")
    def requery(self, request, queryset):
        def check(payout):
            try:
                services.payout_requery(payout_id=payout.pk)
            except MonnifyError as error:
                raise ServiceError(error.message) from error

        self._each(request, queryset, check, "re-checked")

    @admin.action(description="Authorise with the OTP Monnify emailed")
    def authorize_with_otp(self, request, queryset):
        waiting = queryset.filter(status=PayoutStatus.PENDING_AUTHORIZATION)
        if waiting.count() != 1:
            self.message_user(request, "Choose exactly one payout awaiting an OTP.", messages.ERROR)
            return None
        payout = waiting.get()
        form = OtpForm(request.POST if "otp" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                services.payout_authorize(payout_id=payout.pk, otp=form.cleaned_data["otp"])
            except ServiceError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, f"{payout.reference} authorised.", messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/payments/payout_otp.html",
            {
                **self.admin_site.each_context(request),
                "title": "Authorise payout",
                "payout": payout,
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["reference", "payment_link", "merchant", "amount", "status", "created_at", "completed_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["reference", "payment__payment_reference", "merchant__email"]
    list_select_related = ["payment", "merchant"]
    date_hierarchy = "created_at"

    @admin.display(description="Payment", ordering="payment__payment_reference")
    def payment_link(self, refund):
        return change_link(refund.payment, refund.payment.payment_reference)


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("order", "payment", "issued_at")
    search_fields = ("order__order_number", "payment__payment_reference", "code")
    raw_id_fields = ("order", "payment")
