from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments"

    def ready(self):
        # Django imports an app's modules only once every app is loaded, so these come here.
        from accounts import deletion
        from config import health
        from orders import payment_hooks
        from payments import (
            checks,  # noqa: F401 (registers the system checks)
            locks,
            monnify,
            services,
        )

        health.register(health.HealthCheck("monnify", monnify.monnify_reachable))

        deletion.register(
            guard=services.user_deletion_guard, cleanup=services.bank_accounts_remove_for_deleted_user
        )
        payment_hooks.register(
            payment_hooks.OrderPayments(
                open=services.payment_create,
                lock=locks.payments_lock_for_order,
                refund=services.payment_refund_start,
                close_open=services.payments_close_for_cancelled_order,
            )
        )
