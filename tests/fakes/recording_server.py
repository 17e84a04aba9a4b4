"""A local HTTP server in a thread that records every request, for the provider fakes.

Controls shared by the fakes: `fail_with` (answer every request with that status),
`delay` (seconds to wait before answering, to trip client timeouts), and `stop()` /
`start()` (while stopped the port refuses connections).
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Answer:
    status: int
    body: dict | None = None
    headers: dict = field(default_factory=dict)


class RecordingServer:
    def __init__(self):
        self.requests: list[RecordedRequest] = []
        self.fail_with: int | None = None
        self.delay = 0.0
        self.port = 0
        self._server = None
        self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, request: RecordedRequest) -> Answer:
        raise NotImplementedError

    def error_answer(self, status: int) -> Answer:
        return Answer(status, {"message": "Internal error"})

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._handle()

            def do_POST(self):
                self._handle()

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                request = RecordedRequest(self.command, self.path, dict(self.headers), body)
                fake.requests.append(request)
                if fake.delay:
                    time.sleep(fake.delay)
                answer = fake.error_answer(fake.fail_with) if fake.fail_with else fake.answer(request)
                payload = b"" if answer.body is None else json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    if payload:
                        self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, format, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
