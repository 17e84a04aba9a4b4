"""Payouts: the bank list, account-name lookup, single transfers (with the OTP step when
two-factor is on), their summary, the controls that settle them, and the disbursement webhook."""

import random
from datetime import timedelta

from payments.simulator.common import BANKS, SimulatorBase, _error, _now, _number, _slashed


class Transfers(SimulatorBase):
    def add_account(self, account_number: str, bank_code: str, account_name: str):
        with self.lock:
            self.accounts[(account_number, bank_code)] = account_name

    def settle_transfer(self, reference: str, status: str = "SUCCESS"):
        with self.lock:
            self.transfers[reference]["status"] = status
            self.transfers[reference]["completedOn"] = _now()

    def otp_for(self, reference: str) -> str:
        """The code Monnify would have emailed the merchant."""
        with self.lock:
            return self.transfers[reference]["otp"]

    def disbursement_event(self, reference: str) -> dict:
        with self.lock:
            transfer = self.transfers[reference]
            status = transfer["status"]
            event_type = {"SUCCESS": "SUCCESSFUL_DISBURSEMENT", "REVERSED": "REVERSED_DISBURSEMENT"}.get(
                status, "FAILED_DISBURSEMENT"
            )
            data = {
                "amount": _number(transfer["amount"]),
                "transactionReference": transfer["transactionReference"],
                "fee": 8,
                "transactionDescription": transfer["transactionDescription"],
                "destinationAccountNumber": transfer["destinationAccountNumber"],
                "sessionId": transfer["sessionId"] if status == "SUCCESS" else "",
                "createdOn": _slashed(transfer["createdOn"]),
                "destinationAccountName": transfer["destinationAccountName"],
                "reference": reference,
                "destinationBankCode": transfer["destinationBankCode"],
                "completedOn": _slashed(transfer["completedOn"] or _now()),
                "narration": transfer["narration"],
                "currency": "NGN",
                "destinationBankName": transfer["destinationBankName"],
                "status": status,
            }
        return {"eventType": event_type, "eventData": data}

    def _banks(self, *, query, body) -> list:
        return BANKS

    def _bank(self, code: str) -> dict:
        bank = next((b for b in BANKS if b["code"] == code), None)
        if bank is None:
            raise _error(400, "Invalid bank code")
        return bank

    def _validate_account(self, *, query, body) -> dict:
        number, code = query.get("accountNumber", ""), query.get("bankCode", "")
        bank = self._bank(code)
        if len(number) != 10 or not number.isdigit():
            raise _error(400, "Account number must be 10 digits")
        with self.lock:
            name = self.accounts.get((number, code))
        if name is None and self.resolve_any_account:
            name = f"SIMULATED ACCOUNT {number[-4:]}"
        if name is None:
            raise _error(400, "Could not resolve account name. Please check the account number and bank")
        return {"accountNumber": number, "accountName": name, "bankCode": code, "bankName": bank["name"]}

    def _transfer_view(self, transfer: dict) -> dict:
        view = {
            "amount": _number(transfer["amount"]),
            "reference": transfer["reference"],
            "status": transfer["status"],
            "dateCreated": transfer["createdOn"].strftime("%Y-%m-%dT%H:%M:%S.") + "000+0100",
            "totalFee": 0.00,
            "destinationAccountName": transfer["destinationAccountName"],
            "destinationBankName": transfer["destinationBankName"],
            "destinationAccountNumber": transfer["destinationAccountNumber"],
            "destinationBankCode": transfer["destinationBankCode"],
        }
        if transfer["status"] == "SUCCESS":
            view["sessionId"] = transfer["sessionId"]
        if transfer["status"] == "FAILED":
            view["comment"] = transfer["transactionDescription"]
        return view

    def _single_transfer(self, *, query, body) -> dict:
        self._require(
            body,
            "amount",
            "reference",
            "narration",
            "destinationBankCode",
            "destinationAccountNumber",
            "destinationAccountName",
            "currency",
            "sourceAccountNumber",
        )
        amount = self._amount(body)
        bank = self._bank(body["destinationBankCode"])
        if body["sourceAccountNumber"] != self.wallet_account_number:
            raise _error(400, "Invalid source account number")
        now = _now()
        with self.lock:
            if body["reference"] in self.transfers:
                raise _error(400, "Duplicate reference")
            for other in self.transfers.values():
                if (
                    other["destinationAccountNumber"] == body["destinationAccountNumber"]
                    and other["amount"] == amount
                    and now - other["createdOn"] < timedelta(minutes=2)
                ):
                    raise _error(400, "Duplicate transaction", code="D07")
            status = "PENDING_AUTHORIZATION" if self.two_factor else self.transfer_outcome
            description = "Approved or completed successfully"
            if status == "SUCCESS" and amount > self.wallet_balance:
                status = "FAILED"
            if status == "FAILED":
                description = (
                    "You do not have sufficient balance to process this request. "
                    "Please fund your account and try again."
                )
            if status == "SUCCESS":
                self.wallet_balance -= amount
            transfer = {
                "amount": amount,
                "reference": body["reference"],
                "narration": body["narration"],
                "status": status,
                "transactionReference": f"MFDS|{now:%Y%m%d%H%M%S}|{self._next_sequence():06d}",
                "transactionDescription": description,
                "destinationAccountNumber": body["destinationAccountNumber"],
                "destinationAccountName": body["destinationAccountName"],
                "destinationBankCode": bank["code"],
                "destinationBankName": bank["name"],
                "sessionId": f"0904052{random.randint(0, 10**22):023d}",  # noqa: S311
                "createdOn": now,
                "completedOn": now if status in ("SUCCESS", "FAILED") else None,
                "otp": f"{random.randint(0, 99_999_999):08d}",  # noqa: S311
            }
            self.transfers[body["reference"]] = transfer
            return self._transfer_view(transfer)

    def _validate_otp(self, *, query, body) -> dict:
        self._require(body, "reference", "authorizationCode")
        with self.lock:
            transfer = self.transfers.get(body["reference"])
            if transfer is None:
                raise _error(404, "Transfer not found")
            if transfer["status"] != "PENDING_AUTHORIZATION":
                raise _error(400, "Transfer is not awaiting authorization")
            if body["authorizationCode"] != transfer["otp"]:
                raise _error(400, "Invalid authorization code")
            transfer["status"] = self.transfer_outcome
            transfer["completedOn"] = _now()
            if transfer["status"] == "SUCCESS":
                self.wallet_balance -= transfer["amount"]
            return self._transfer_view(transfer)

    def _transfer_summary(self, *, query, body) -> dict:
        with self.lock:
            transfer = self.transfers.get(query.get("reference", ""))
            if transfer is None:
                raise _error(404, "Transfer not found")
            return {
                "amount": _number(transfer["amount"]),
                "reference": transfer["reference"],
                "narration": transfer["narration"],
                "currency": "NGN",
                "fee": 20.00,
                "twoFaEnabled": self.two_factor,
                "status": transfer["status"],
                "transactionDescription": transfer["transactionDescription"],
                "transactionReference": transfer["transactionReference"],
                "destinationBankCode": transfer["destinationBankCode"],
                "destinationAccountNumber": transfer["destinationAccountNumber"],
                "destinationAccountName": transfer["destinationAccountName"],
                "destinationBankName": transfer["destinationBankName"],
                "createdOn": _slashed(transfer["createdOn"]),
            }
