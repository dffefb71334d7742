"""A real webhook receiver: http.server in a thread, recording every request it gets and
answering with the codes it is told (per event id: the first answers in turn, then the last)."""

import dataclasses
import hashlib
import hmac
import http.server
import json
import threading
from collections import Counter


@dataclasses.dataclass(frozen=True)
class Received:
    event_id: str
    kind: str
    timestamp: str
    signature: str
    body: bytes
    answered: int

    @property
    def payload(self) -> dict:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        expected = hmac.new(
            secret.encode(), f"{self.timestamp}.".encode() + self.body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(self.signature, f"sha256={expected}")


class Receiver:
    def __init__(self, answers: tuple[int, ...] = (200,)) -> None:
        self.answers = answers
        self.received: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                event_id = self.headers.get("X-Helpdesk-Event-Id", "")
                with receiver._lock:
                    seen = sum(1 for r in receiver.received if r.event_id == event_id)
                    code = receiver.answers[min(seen, len(receiver.answers) - 1)]
                    receiver.received.append(
                        Received(
                            event_id=event_id,
                            kind=self.headers.get("X-Helpdesk-Event", ""),
                            timestamp=self.headers.get("X-Helpdesk-Timestamp", ""),
                            signature=self.headers.get("X-Helpdesk-Signature", ""),
                            body=body,
                            answered=code,
                        )
                    )
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def accepted(self) -> Counter:
        """How many times each event id was answered with a 2xx."""
        return Counter(r.event_id for r in self.snapshot() if 200 <= r.answered < 300)

    def describe(self) -> str:
        return "\n".join(f"{r.answered} {r.kind} {r.event_id}" for r in self.snapshot())
