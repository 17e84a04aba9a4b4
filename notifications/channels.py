"""Hand one DeliveryLog to its provider and sort failures into temporary and permanent.

Temporary (provider down, 5xx, 429, timeout): the task retries with backoff. Permanent
(invalid address, rejected by the provider): retrying cannot help, the log fails at once.
"""

from email.utils import formataddr

from anymail.exceptions import (
    AnymailAPIError,
    AnymailError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
)
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications.models import Channel, DeliveryLog
from notifications.sms import SmsRejected, SmsTemporaryError, get_sms_backend

MAX_ERROR_LENGTH = 2000


class DeliveryError(Exception):
    pass


class DeliveryTemporaryError(DeliveryError):
    pass


class DeliveryPermanentError(DeliveryError):
    pass


def deliver_message(log: DeliveryLog) -> str:
    """Send the log's message; returns the provider's message id."""
    if log.channel == Channel.EMAIL:
        return _send_email(log)
    return _send_sms(log)


def _from_email(from_name: str) -> str:
    if not from_name:
        return settings.DEFAULT_FROM_EMAIL
    # Left unencoded: Django encodes the header itself. Encoding it here folds a long
    # non-ASCII store name onto two lines, which Django then refuses as a header injection.
    return formataddr((from_name, settings.SENDGRID_FROM_EMAIL))


def _send_email(log: DeliveryLog) -> str:
    message = EmailMultiAlternatives(
        subject=log.subject,
        body=log.body_text,
        from_email=_from_email(log.from_name),
        to=[log.recipient],
        connection=get_connection(),
    )
    if log.body_html:
        message.attach_alternative(log.body_html, "text/html")
    try:
        message.send()
    except (AnymailInvalidAddress, AnymailRecipientsRefused) as error:
        raise DeliveryPermanentError(_describe(error)) from error
    except AnymailAPIError as error:
        status = getattr(error, "status_code", None)
        if status is None or status >= 500 or status == 429:
            raise DeliveryTemporaryError(_describe(error)) from error
        raise DeliveryPermanentError(_describe(error)) from error
    except AnymailError as error:
        raise DeliveryPermanentError(_describe(error)) from error
    except OSError as error:  # SMTP and socket errors of non-anymail backends
        raise DeliveryTemporaryError(_describe(error)) from error
    status = getattr(message, "anymail_status", None)
    # Django's own backends (console, locmem, SMTP) have no anymail_status.
    message_id = getattr(status, "message_id", None)
    return message_id if isinstance(message_id, str) else ""


def _send_sms(log: DeliveryLog) -> str:
    try:
        return get_sms_backend().send(to=log.recipient, text=log.body_text)
    except SmsRejected as error:
        raise DeliveryPermanentError(_describe(error)) from error
    except SmsTemporaryError as error:
        raise DeliveryTemporaryError(_describe(error)) from error


def _describe(error: Exception) -> str:
    return (str(error) or type(error).__name__)[:MAX_ERROR_LENGTH]
