"""SMS backends, chosen by settings.SMS_BACKEND (like Django's EMAIL_BACKEND).

A backend has `send(*, to, text) -> message id` and raises TermiiTemporaryError or
TermiiRejected (the channel-neutral names below) when it cannot send.
"""

import logging
import uuid

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.termii import TermiiClient, TermiiRejected, TermiiTemporaryError

logger = logging.getLogger(__name__)

SmsTemporaryError = TermiiTemporaryError
SmsRejected = TermiiRejected


class TermiiBackend:
    def __init__(self, client: TermiiClient | None = None):
        self.client = client or TermiiClient.from_settings()

    def send(self, *, to: str, text: str) -> str:
        return self.client.send_sms(to=to, text=text)


class ConsoleBackend:
    """Writes messages to the log instead of sending them (embedded default and tests)."""

    def send(self, *, to: str, text: str) -> str:
        message_id = f"console-{uuid.uuid4()}"
        logger.info("SMS to %s (%s): %s", to, message_id, text)
        return message_id


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()
