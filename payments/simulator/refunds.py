"""Refunds of a collected transaction: initiate, status, the settle control and the refund webhook."""

from payments.simulator.common import SimulatorBase, _decimal, _error, _now, _number, _slashed


class Refunds(SimulatorBase):
    def settle_refund(self, refund_reference: str, status: str = "COMPLETED"):
        with self.lock:
            self.refunds[refund_reference]["refundStatus"] = status
            self.refunds[refund_reference]["completedOn"] = _now()

    def refund_event(self, refund_reference: str) -> dict:
        with self.lock:
            refund = self.refunds[refund_reference]
            data = {
                "merchantReason": refund["refundReason"],
                "transactionReference": refund["transactionReference"],
                "completedOn": _slashed(refund["completedOn"] or _now()),
                "refundStatus": refund["refundStatus"],
                "customerNote": refund["customerNote"],
                "createdOn": _slashed(refund["createdOn"]),
                "refundReference": refund_reference,
                "refundAmount": _number(refund["refundAmount"]),
            }
        event_type = "SUCCESSFUL_REFUND" if refund["refundStatus"] == "COMPLETED" else "FAILED_REFUND"
        return {"eventType": event_type, "eventData": data}

    def _refund_view(self, refund: dict) -> dict:
        return {
            "refundReference": refund["refundReference"],
            "transactionReference": refund["transactionReference"],
            "refundReason": refund["refundReason"],
            "customerNote": refund["customerNote"],
            "refundAmount": _number(refund["refundAmount"]),
            "refundStatus": refund["refundStatus"],
            "refundType": refund["refundType"],
            "createdOn": _slashed(refund["createdOn"]),
            "completedOn": _slashed(refund["completedOn"]) if refund["completedOn"] else "",
            "comment": "Transaction refund is in progress."
            if refund["refundStatus"] == "IN_PROGRESS"
            else "Transaction refund completed.",
        }

    def _initiate_refund(self, *, query, body) -> dict:
        self._require(body, "transactionReference", "refundReference", "refundReason")
        with self.lock:
            txn = self.transactions.get(body["transactionReference"])
            if txn is None:
                raise _error(400, "Transaction does not exist", code="R1")
            # Money that arrived can go back, a short transfer's too (Monnify: "ask for the
            # balance or refund").
            if txn["paymentStatus"] not in ("PAID", "OVERPAID", "PARTIALLY_PAID") or not txn["amountPaid"]:
                raise _error(400, "Refund not permitted for this transaction", code="R2")
            if body["refundReference"] in self.refunds:
                raise _error(400, "Duplicate refund reference")
            amount = _decimal(body.get("refundAmount")) or txn["amountPaid"]
            if amount > txn["amountPaid"]:
                raise _error(400, "Refund amount is above the transaction amount", code="R3")
            if amount < 10:
                raise _error(400, "Refund amount is below the minimum", code="R4")
            refund = {
                "refundReference": body["refundReference"],
                "transactionReference": body["transactionReference"],
                "refundReason": body["refundReason"],
                "customerNote": body.get("customerNote") or "",
                "refundAmount": amount,
                "refundStatus": "IN_PROGRESS",
                "refundType": "FULL_REFUND" if amount == txn["amountPaid"] else "PARTIAL_REFUND",
                "createdOn": _now(),
                "completedOn": None,
            }
            self.refunds[body["refundReference"]] = refund
            return self._refund_view(refund)

    def _refund_status(self, refund_reference: str) -> dict:
        with self.lock:
            refund = self.refunds.get(refund_reference)
            if refund is None:
                raise _error(404, "Refund not found")
            return self._refund_view(refund)
