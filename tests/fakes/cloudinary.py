"""A local HTTP server that speaks the part of Cloudinary's Upload and Admin APIs that
catalog.storage uses: signed upload, destroy, and resource details (Basic auth).

Point the SDK at it with `upload_prefix=server.url`.
"""

import base64
import email.parser
import email.policy
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

UNSIGNED = {"file", "api_key", "resource_type", "cloud_name", "signature"}


class FakeCloudinary:
    def __init__(self, *, cloud_name="demo", api_key="key-1", api_secret="secret-1"):
        self.cloud_name = cloud_name
        self.api_key = api_key
        self.api_secret = api_secret
        self.assets: dict[str, dict] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail_uploads = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                fake.requests.append(("POST", self.path))
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fields, files = _multipart(self.headers["Content-Type"], body)
                prefix = f"/v1_1/{fake.cloud_name}/image/"
                if not self.path.startswith(prefix):
                    return self._json(404, {"error": {"message": "Unknown API"}})
                if not fake.signed(fields):
                    return self._json(401, {"error": {"message": "Invalid Signature"}})
                action = self.path[len(prefix) :]
                if action == "upload":
                    if fake.fail_uploads:
                        return self._json(500, {"error": {"message": "General Error"}})
                    return self._json(200, fake.upload(fields, files["file"]))
                if action == "destroy":
                    found = fake.assets.pop(fields["public_id"], None)
                    return self._json(200, {"result": "ok" if found else "not found"})
                return self._json(404, {"error": {"message": "Unknown API"}})

            def do_GET(self):
                fake.requests.append(("GET", self.path))
                expected = base64.b64encode(f"{fake.api_key}:{fake.api_secret}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self._json(401, {"error": {"message": "Invalid credentials"}})
                prefix = f"/v1_1/{fake.cloud_name}/resources/image/upload/"
                path = self.path.split("?", 1)[0]
                if not path.startswith(prefix):
                    return self._json(404, {"error": {"message": "Unknown API"}})
                public_id = unquote(path[len(prefix) :])
                asset = fake.assets.get(public_id)
                if asset is None:
                    return self._json(404, {"error": {"message": f"Resource not found - {public_id}"}})
                return self._json(200, asset["details"])

            def _json(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def signed(self, fields: dict) -> bool:
        if fields.get("api_key") != self.api_key:
            return False
        to_sign = "&".join(
            f"{key}={value.replace('&', '%26')}"
            for key, value in sorted(fields.items())
            if key not in UNSIGNED and value
        )
        return hashlib.sha1((to_sign + self.api_secret).encode()).hexdigest() == fields.get("signature")

    def upload(self, fields: dict, data: bytes) -> dict:
        public_id = fields["public_id"]
        image_format = "jpg" if data.startswith(b"\xff\xd8") else "webp" if data[8:12] == b"WEBP" else "png"
        details = {
            "public_id": public_id,
            "version": 1700000000,
            "format": image_format,
            "resource_type": "image",
            "type": "upload",
            "bytes": len(data),
            "secure_url": f"https://res.cloudinary.com/{self.cloud_name}/image/upload/v1700000000/"
            f"{public_id}.{image_format}",
        }
        self.assets[public_id] = {"data": data, "details": details}
        return details

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def _multipart(content_type: str, body: bytes) -> tuple[dict, dict]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if part.get_filename() is not None:
            files[name] = payload
        else:
            fields[name] = payload.decode()
    return fields, files
