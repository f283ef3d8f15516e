"""Fixtures for fault tests: a fake SMS gateway that deduplicates like a real one."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class FakeGateway:
    """An SMS gateway on 127.0.0.1: records each request, and delivers each
    Idempotency-Key once (as the production gateway does, see congress.sms).
    ``stall_first`` makes the first request hang, so a test can kill the worker
    in the middle of a delivery."""

    url: str = ""
    stall_first: float = 0.0
    requests: list[str] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, key: str) -> float:
        with self.lock:
            self.requests.append(key)
            first = len(self.requests) == 1
            if key not in self.delivered:
                self.delivered.append(key)
        return self.stall_first if first else 0.0


@pytest.fixture
def sms_gateway() -> Iterator[FakeGateway]:
    gateway = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            gateway.bodies.append(json.loads(body or b"{}"))
            gateway.authorizations.append(self.headers.get("Authorization", ""))
            time.sleep(gateway.handle(self.headers.get("Idempotency-Key", "")))
            try:
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"ok": true}')
            except OSError:
                pass  # the worker was killed while we waited

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield gateway
    server.shutdown()
    server.server_close()
