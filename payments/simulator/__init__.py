"""A Monnify stand-in that speaks Monnify's HTTP API (shared/reference/integrations.md §1 and §2).

A real HTTP server on 127.0.0.1 (ThreadingHTTPServer, in a thread) with Monnify's envelopes,
field names and quirks (string responseCode, amounts as numbers or strings, '|' in references,
bankCode as a number in init-payment). It keeps state, and sends signed webhooks the way
Monnify does. Tests drive it through its control methods; without Monnify keys the app runs
against one embedded instance (`embedded_simulator`), so the whole flow works on one machine.

One module per thing Monnify does: `collections` (a shopper's transaction and its reserved
account), `transfers` (bank list, account names, single transfers and their OTP), `refunds`;
`server` is the HTTP side (login, routing, faults, webhooks) and `common` the shared formats.
"""

from payments.simulator.common import _Reply
from payments.simulator.server import MonnifySimulator

__all__ = ["MonnifySimulator", "_Reply"]
