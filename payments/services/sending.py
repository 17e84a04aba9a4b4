"""Sending a payout's transfer or a refund to Monnify under our own reference, once.

Both are sent again after a lost answer (the task retries, the re-query resends), and Monnify
refuses a reference it has seen before, so a refusal is only final once a look-up of that
reference finds nothing; otherwise the earlier attempt's state is applied instead.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from payments.monnify import MonnifyError, MonnifyRequestError, MonnifyUnavailable

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Refused:
    """Monnify refused it and holds nothing under the reference: it failed, for this reason."""

    message: str


def monnify_send_once(
    *, what: str, send: Callable[[], dict[str, Any]], look_up: Callable[[], dict[str, Any]]
) -> dict[str, Any] | Refused | None:
    """Monnify's answer to `send()` (or to `look_up()` after a refusal), `Refused`, or None when
    the outcome is unknown and the periodic re-query settles it.

    Raises MonnifyUnavailable when Monnify could not be reached, so the task retries: a resend
    under the same reference cannot pay twice.
    """
    try:
        return send()
    except MonnifyRequestError as error:
        try:
            return look_up()
        except MonnifyRequestError:
            return Refused(error.message)
        except MonnifyUnavailable:
            raise  # cannot tell yet whether an earlier attempt went through
        except MonnifyError:
            return None
    except MonnifyUnavailable as error:
        logger.warning("payments: %s outcome unknown: %s", what, error)
        raise
    except MonnifyError as error:
        logger.warning("payments: %s outcome unknown: %s", what, error)
        return None


def monnify_look_up_or_resend(
    *,
    look_up: Callable[[], dict[str, Any]],
    unsent: bool,
    resend: Callable[[], T],
    apply: Callable[[dict[str, Any]], T],
) -> T:
    """The periodic re-query of something sent under our reference: Monnify's state, applied.

    Monnify not knowing the reference means our send never arrived: it is sent again while it
    is still `unsent` on our side; otherwise the refusal is raised.
    """
    try:
        body = look_up()
    except MonnifyRequestError:
        if unsent:
            return resend()
        raise
    return apply(body)
