"""Plain HTTP for the tests that need what ``requests`` will not do: send a request target exactly as written (no
re-encoding), from a chosen loopback address (the whole of 127.0.0.0/8 is this machine, so a test can be several
clients, or a proxy, to a server on 127.0.0.1), or as raw bytes."""

from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    text: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        return json.loads(self.text)


def call(
    port: int,
    method: str,
    target: str,
    *,
    source: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
    body: Any = None,
) -> Answer:
    """One request to 127.0.0.1:``port`` from ``source``, with ``target`` sent as it is (percent-escapes and all);
    ``body`` goes as JSON."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        sent = dict(headers or {})
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
        connection.request(method, target, body=data, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
    finally:
        connection.close()


def raw(port: int, request: bytes) -> Answer:
    """Send ``request`` as bytes (however malformed) and read the answer until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(status, headers, body.decode("utf-8", "replace"))
