"""A push held open for real: its headers and half its body sent over a socket, the rest only when the test says,
so that the server counts it in flight for as long as the test needs (admission control, server/api/admission.py)."""

from __future__ import annotations

import json
import socket
from typing import Any

from server.api.admission import PushAdmission
from tests.server import wire
from tests.server.httpkit import Answer
from tests.serverkit import wait_until


def admission(server: Any) -> PushAdmission:
    """The admission middleware of a running ServerThread (to wait on its real count of pushes in flight)."""
    layer = server.app.middleware_stack
    while layer is not None and not isinstance(layer, PushAdmission):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, PushAdmission), "no admission control in the server's middleware"
    return layer


class HeldPush:
    """A push of one new application whose body arrives in two parts: the second on :meth:`finish`."""

    def __init__(self, server: Any, auth: dict[str, str], number: str) -> None:
        self.event = wire.taken(number)
        body = json.dumps({"events": [wire.pushed(self.event)]}).encode("utf-8")
        head = (
            f"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: {auth['Authorization']}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode("ascii")
        self.rest = body[len(body) // 2 :]
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        gate = admission(server)
        before = gate.admitted
        self.sock.sendall(head + body[: len(body) // 2])
        wait_until(lambda: gate.admitted > before, "the held push is admitted")

    def finish(self) -> Answer:
        """Send the rest of the body and read the answer."""
        self.sock.sendall(self.rest)
        data = b""
        while chunk := self.sock.recv(65536):
            data += chunk
        self.sock.close()
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        return Answer(int(lines[0].split()[1]), headers, body.decode("utf-8", "replace"))

    def close(self) -> None:
        self.sock.close()
