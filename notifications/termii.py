"""A small client for Termii's SMS API (POST {TERMII_BASE_URL}/api/sms/send).

Termii takes the API key in the JSON body, the number in international form without "+",
and answers 2xx with {"code": "ok", "message_id": …}. 5xx, 429, timeouts and refused
connections are temporary; other 4xx mean Termii refused this message (bad number, sender
id, inactive account) and sending it again will not help.
"""

from dataclasses import dataclass

import requests
from django.conf import settings


class TermiiError(Exception):
    """Termii did not send the message."""

    def __init__(self, message: str, *, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


class TermiiTemporaryError(TermiiError):
    """Termii could not be reached or failed on its side: try again later."""


class TermiiRejected(TermiiError):
    """Termii refused this message: trying again will not help."""


@dataclass(frozen=True)
class TermiiClient:
    base_url: str
    api_key: str
    sender_id: str
    channel: str = "generic"
    timeout: float = 10.0

    @classmethod
    def from_settings(cls) -> "TermiiClient":
        return cls(
            base_url=settings.TERMII_BASE_URL,
            api_key=settings.TERMII_API_KEY,
            sender_id=settings.TERMII_SENDER_ID,
            channel=settings.TERMII_CHANNEL,
            timeout=settings.TERMII_TIMEOUT_SECONDS,
        )

    def send_sms(self, *, to: str, text: str, channel: str | None = None) -> str:
        """Send `text` to `to` (+234… or 234…); returns Termii's message id."""
        payload = {
            "api_key": self.api_key,
            "to": to.lstrip("+"),
            "from": self.sender_id,
            "sms": text,
            "type": "plain",
            "channel": channel or self.channel,
        }
        url = f"{self.base_url.rstrip('/')}/api/sms/send"
        try:
            response = requests.post(url, json=payload, timeout=self.timeout)
        except requests.Timeout as error:
            raise TermiiTemporaryError(f"Termii did not answer within {self.timeout}s") from error
        except requests.RequestException as error:
            raise TermiiTemporaryError(f"Termii could not be reached: {error}") from error

        body = _json(response)
        if response.status_code >= 500 or response.status_code == 429:
            raise TermiiTemporaryError(
                f"Termii error {response.status_code}: {_message(body, response)}",
                status_code=response.status_code,
            )
        if not 200 <= response.status_code < 300:
            raise TermiiRejected(
                f"Termii refused the message ({response.status_code}): {_message(body, response)}",
                status_code=response.status_code,
            )
        succeeded = body.get("code") == "ok" or body.get("message") == "Successfully Sent"
        message_id = body.get("message_id_str") or body.get("message_id")
        if not succeeded or not message_id:
            raise TermiiRejected(
                f"Termii did not accept the message: {_message(body, response)}",
                status_code=response.status_code,
            )
        return str(message_id)


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _message(body: dict, response: requests.Response) -> str:
    for key in ("message", "error", "errors"):
        if body.get(key):
            return str(body[key])
    return response.text[:200] or response.reason or "no details"
