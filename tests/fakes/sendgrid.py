"""A local stand-in for SendGrid's v3 mail/send endpoint, as anymail's SendGrid backend calls it.

POST {url}/v3/mail/send with `Authorization: Bearer <key>` and a JSON body with
personalizations, from, subject and content; answers 202 with an X-Message-Id header and no
body, 401 for a wrong key, 400 for a malformed body (SendGrid's {"errors": [...]} shape).
"""

import uuid

from tests.fakes.recording_server import Answer, RecordedRequest, RecordingServer

API_KEY = "SG.fake-test-key"


class FakeSendGrid(RecordingServer):
    def __init__(self, api_key: str = API_KEY):
        super().__init__()
        self.api_key = api_key

    @property
    def api_url(self) -> str:
        """The value for ANYMAIL["SENDGRID_API_URL"]."""
        return f"{self.url}/v3/"

    @property
    def sent(self) -> list[dict]:
        """The JSON bodies of the messages accepted so far."""
        return [request.json() for request in self.requests if request.path == "/v3/mail/send"]

    def error_answer(self, status: int) -> Answer:
        return Answer(status, {"errors": [{"message": "Internal server error", "field": None}]})

    def answer(self, request: RecordedRequest) -> Answer:
        if request.method != "POST" or request.path != "/v3/mail/send":
            return Answer(404, {"errors": [{"message": "Not found"}]})
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return Answer(401, {"errors": [{"message": "The provided authorization grant is invalid"}]})
        try:
            body = request.json()
        except ValueError:
            return Answer(400, {"errors": [{"message": "Bad Request", "field": None}]})
        missing = [key for key in ("personalizations", "from", "subject", "content") if not body.get(key)]
        if missing or not all(p.get("to") for p in body["personalizations"]):
            return Answer(400, {"errors": [{"message": f"Missing {missing or 'to'}", "field": None}]})
        return Answer(202, None, {"X-Message-Id": uuid.uuid4().hex[:22]})
