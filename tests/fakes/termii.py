"""A local stand-in for Termii's SMS API (reference/integrations.md, section 4).

POST {url}/api/sms/send with a JSON body carrying api_key, to (international, no "+"),
from (a 3-11 character sender id), sms, type "plain" and channel; answers 200 with
{"code": "ok", "message_id": …, "message": "Successfully Sent", …}. A wrong key is 401 and a
bad sender id or number 400, each with a JSON "message".
"""

import re

from tests.fakes.recording_server import Answer, RecordedRequest, RecordingServer

API_KEY = "TL-fake-test-key"


class FakeTermii(RecordingServer):
    def __init__(self, api_key: str = API_KEY):
        super().__init__()
        self.api_key = api_key
        self.next_message_id = 9122821270554876574
        self.balance = 100

    @property
    def sent(self) -> list[dict]:
        return [request.json() for request in self.requests if request.path == "/api/sms/send"]

    def answer(self, request: RecordedRequest) -> Answer:
        if request.method != "POST" or request.path != "/api/sms/send":
            return Answer(404, {"message": "Not found"})
        try:
            body = request.json()
        except ValueError:
            return Answer(400, {"message": "Invalid JSON"})
        if body.get("api_key") != self.api_key:
            return Answer(401, {"message": "Invalid API key"})
        sender = body.get("from") or ""
        if not 3 <= len(sender) <= 11:
            return Answer(400, {"message": "Invalid Sender Id"})
        if not re.fullmatch(r"\d{10,15}", str(body.get("to") or "")):
            return Answer(400, {"message": "Invalid phone number"})
        if body.get("type") != "plain" or body.get("channel") not in ("generic", "dnd", "whatsapp"):
            return Answer(400, {"message": "You are not set up on this route"})
        if not body.get("sms"):
            return Answer(400, {"message": "sms is required"})
        message_id = str(self.next_message_id)
        self.next_message_id += 1
        self.balance -= 1
        return Answer(
            200,
            {
                "code": "ok",
                "message_id": message_id,
                "message_id_str": message_id,
                "message": "Successfully Sent",
                "balance": self.balance,
                "user": "AGM Store Builder",
            },
        )
