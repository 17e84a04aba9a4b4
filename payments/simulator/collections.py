"""A shopper's payment: init-transaction, the reserved account (init-payment), status queries,
the controls that pay into it, and its SUCCESSFUL_TRANSACTION webhook."""

import random
import uuid
from decimal import Decimal

from payments.simulator.common import (
    ACCOUNT_DURATION_SECONDS,
    BANKS,
    SimulatorBase,
    _dotted,
    _error,
    _money,
    _now,
    _number,
    _slashed,
)


class Collections(SimulatorBase):
    def checkout_url(self, reference: str) -> str:
        """Where Monnify's hosted payment page (card, USSD) is for this transaction."""
        return f"{self.url}/checkout/{reference}"

    def transaction(self, reference: str) -> dict:
        """By transactionReference or paymentReference."""
        with self.lock:
            reference = self.by_payment_reference.get(reference, reference)
            return self.transactions[reference]

    def pay(self, reference: str, amount: Decimal | None = None, *, method: str = "ACCOUNT_TRANSFER") -> dict:
        """The shopper pays `amount` (default: exactly what is due) into the transaction."""
        with self.lock:
            txn = self.transaction(reference)
            amount = txn["amount"] - txn["amountPaid"] if amount is None else Decimal(amount)
            txn["amountPaid"] += amount
            txn["paymentMethod"] = method
            txn["paidOn"] = _now()
            if txn["amountPaid"] > txn["amount"]:
                txn["paymentStatus"] = "OVERPAID"
            elif txn["amountPaid"] == txn["amount"]:
                txn["paymentStatus"] = "PAID"
            else:
                txn["paymentStatus"] = "PARTIALLY_PAID"
            return self._transaction_body(txn)

    def pay_full(self, reference: str, **kwargs) -> dict:
        return self.pay(reference, **kwargs)

    def pay_short(self, reference: str, shortfall: Decimal = Decimal("100.00")) -> dict:
        txn = self.transaction(reference)
        return self.pay(reference, txn["amount"] - Decimal(shortfall))

    def pay_over(self, reference: str, excess: Decimal = Decimal("100.00")) -> dict:
        txn = self.transaction(reference)
        return self.pay(reference, txn["amount"] + Decimal(excess))

    def set_status(self, reference: str, status: str):
        with self.lock:
            self.transaction(reference)["paymentStatus"] = status

    def transaction_event(self, reference: str) -> dict:
        """SUCCESSFUL_TRANSACTION for a paid transaction, in the shape of Monnify's sample."""
        with self.lock:
            txn = self.transaction(reference)
            event = {
                "product": {"reference": txn["paymentReference"], "type": "WEB_SDK"},
                "transactionReference": txn["transactionReference"],
                "paymentReference": txn["paymentReference"],
                "paidOn": _dotted(txn["paidOn"] or _now()),
                "paymentDescription": txn["paymentDescription"],
                "metaData": txn["metaData"],
                "paymentSourceInformation": [
                    {
                        "bankCode": "",
                        "amountPaid": _number(txn["amountPaid"]),
                        "accountName": txn["customerName"].upper(),
                        "sessionId": uuid.uuid4().hex,
                        "accountNumber": "0065432190",
                    }
                ],
                "destinationAccountInformation": {
                    "bankCode": "101",
                    "bankName": "Providus Bank",
                    "accountNumber": txn["accountNumber"] or "",
                },
                "amountPaid": _number(txn["amountPaid"]),
                "totalPayable": _number(txn["amount"]),
                "cardDetails": {},
                "paymentMethod": txn["paymentMethod"] or "ACCOUNT_TRANSFER",
                "currency": self.currency,
                "settlementAmount": _money(txn["amountPaid"] * Decimal("0.99")),
                "paymentStatus": txn["paymentStatus"],
                "customer": {"name": txn["customerName"], "email": txn["customerEmail"]},
            }
        return {"eventType": "SUCCESSFUL_TRANSACTION", "eventData": event}

    def _init_transaction(self, *, query, body) -> dict:
        self._require(
            body,
            "amount",
            "customerEmail",
            "paymentReference",
            "paymentDescription",
            "currencyCode",
            "contractCode",
        )
        amount = self._amount(body)
        if body["contractCode"] != self.contract_code:
            raise _error(400, "Invalid contract code")
        with self.lock:
            if body["paymentReference"] in self.by_payment_reference:
                raise _error(400, f"Duplicate payment reference {body['paymentReference']}")
            now = _now()
            reference = f"MNFY|{now:%Y%m%d%H%M%S}|{self._next_sequence():06d}"
            self.transactions[reference] = {
                "transactionReference": reference,
                "paymentReference": body["paymentReference"],
                "amount": amount,
                "amountPaid": Decimal("0"),
                "paymentStatus": "PENDING",
                "paymentMethod": None,
                "paymentDescription": body["paymentDescription"],
                "customerName": body.get("customerName") or "",
                "customerEmail": body["customerEmail"],
                "metaData": body.get("metaData") or {},
                "redirectUrl": body.get("redirectUrl") or "",
                "createdOn": now,
                "paidOn": None,
                "accountNumber": None,
            }
            self.by_payment_reference[body["paymentReference"]] = reference
        return {
            "transactionReference": reference,
            "paymentReference": body["paymentReference"],
            "merchantName": "AGM Simulated Merchant",
            "apiKey": self.api_key,
            "enabledPaymentMethod": ["ACCOUNT_TRANSFER", "CARD", "USSD"],
            "checkoutUrl": self.checkout_url(reference),
        }

    def _init_payment(self, *, query, body) -> dict:
        self._require(body, "transactionReference")
        with self.lock:
            txn = self.transactions.get(body["transactionReference"])
            if txn is None:
                raise _error(400, "Could not find transaction with the specified transaction reference")
            if txn["accountNumber"] is None:
                txn["accountNumber"] = f"77{random.randint(0, 99_999_999):08d}"  # noqa: S311
            bank = next((b for b in BANKS if b["code"] == body.get("bankCode")), None)
            ussd = None
            if bank and bank["ussdTemplate"]:
                ussd = (
                    bank["ussdTemplate"]
                    .replace("Amount", str(int(txn["amount"])))
                    .replace("AccountNumber", txn["accountNumber"])
                )
            return {
                "accountNumber": txn["accountNumber"],
                "accountName": txn["paymentDescription"],
                "bankName": "Providus Bank",
                "bankCode": 101,
                "accountDurationSeconds": ACCOUNT_DURATION_SECONDS,
                "ussdPayment": ussd,
                "requestTime": _now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-4],
                "transactionReference": txn["transactionReference"],
                "paymentReference": txn["paymentReference"],
                "amount": _number(txn["amount"]),
                "fee": 10.00,
                "totalPayable": _number(txn["amount"]),
            }

    def _transaction_body(self, txn: dict) -> dict:
        paid = txn["amountPaid"] > 0
        account = {
            "accountName": txn["customerName"].upper(),
            "accountNumber": "******7503",
            "bankCode": "000001",
            "amountPaid": _money(txn["amountPaid"]),
        }
        return {
            "transactionReference": txn["transactionReference"],
            "paymentReference": txn["paymentReference"],
            "amountPaid": _money(txn["amountPaid"]),
            "totalPayable": _money(txn["amount"]),
            "settlementAmount": _money(txn["amountPaid"] * Decimal("0.99")),
            "paidOn": _slashed(txn["paidOn"]) if txn["paidOn"] else None,
            "paymentStatus": txn["paymentStatus"],
            "paymentDescription": txn["paymentDescription"],
            "currency": self.currency,
            "paymentMethod": txn["paymentMethod"] or "ACCOUNT_TRANSFER",
            "product": {"type": "WEB_SDK", "reference": txn["paymentReference"]},
            "cardDetails": None,
            "accountDetails": account if paid else None,
            "accountPayments": [account] if paid else [],
            "paymentSourceInformation": [account] if paid else [],
            "customer": {"email": txn["customerEmail"], "name": txn["customerName"]},
            "metaData": txn["metaData"],
        }

    def _status_v2(self, reference: str) -> dict:
        with self.lock:
            txn = self.transactions.get(reference)
            if txn is None:
                raise _error(404, "Could not find transaction with the specified transaction reference")
            return self._transaction_body(txn)

    def _query(self, *, query, body) -> dict:
        with self.lock:
            if "paymentReference" in query:
                reference = self.by_payment_reference.get(query["paymentReference"], "")
            else:
                reference = query.get("transactionReference", "")
            txn = self.transactions.get(reference)
            if txn is None:
                raise _error(404, "Could not find transaction with the specified reference")
            return self._transaction_body(txn)
