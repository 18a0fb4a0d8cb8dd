"""The helper process of the SDK driver: ``python -m app.idcard.host``, JSON lines over a pipe.

Many vendor libraries are 32-bit while the counter runs 64-bit, and a ``termb`` library without
``Read_Content_Path`` writes the card into its working directory: such a library runs here, in a process of its
bitness (``idcard.helper_python``) whose working directory is a private temporary folder, removed at the end.  The
parent (:class:`HelperReader`) writes one request per line on the helper's stdin and reads one answer per line:

* ``{"op": "open", "settings": {...}}`` → ``{"ok": true}``
* ``{"op": "poll"}`` → ``{"ok": true, "card": null}`` or ``{"ok": true, "card": {...}}`` (the photo in base64)
* ``{"op": "close"}`` → ``{"ok": true}``, then the helper exits (as it does when stdin closes)

A refusal or failure is ``{"ok": false, "error": {"context", "text", "args", "detail"}}``: the same
:class:`~app.idcard.model.IdCardError` as in process, translated by the parent.  The helper checks the library's
pinned SHA-256 itself before loading it.  Its stdout carries nothing but the answers: a library that prints is sent
to stderr.  It imports only the standard library and the ID-card modules, so a plain Python of the library's
bitness with this program's folder on its path can run it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import os
import subprocess
import sys
import threading
from dataclasses import asdict, fields
from pathlib import Path
from typing import IO, Any

from app.i18n import msg
from app.idcard.model import CardData, CardType, IdCardError, Sex
from app.idcard.reader import DriverKind, IdCardReader
from app.idcard.settings import IdCardSettings

log = logging.getLogger("yimen.idcard")

#: How long the parent waits for the helper to end after `close` before killing it.
ANSWER_SECONDS = 10.0


def card_to_json(card: CardData) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(card):
        value = getattr(card, f.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        out[f.name] = value
    return out


def card_from_json(data: dict[str, Any]) -> CardData:
    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return CardData(
        card_type=CardType(data["card_type"]),
        name=data["name"],
        sex=Sex(data["sex"]),
        ethnicity=data["ethnicity"],
        birth_date=day(data["birth_date"]),
        address=data["address"],
        id_number=data["id_number"],
        authority=data["authority"],
        valid_from=day(data["valid_from"]),
        valid_to=day(data["valid_to"]),
        english_name=data["english_name"],
        nationality=data["nationality"],
        pass_number=data["pass_number"],
        photo=base64.b64decode(data["photo"]) if data.get("photo") else None,
    )


def settings_to_json(settings: IdCardSettings) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(settings).items()}


def settings_from_json(data: dict[str, Any]) -> IdCardSettings:
    def path(value: str | None) -> Path | None:
        return Path(value) if value else None

    return IdCardSettings(
        driver=str(data["driver"]),
        sdk_shape=str(data["sdk_shape"]),
        library=path(data["library"]),
        library_sha256=str(data["library_sha256"]),
        photo_library=path(data["photo_library"]),
        photo_library_sha256=str(data["photo_library_sha256"]),
        port=int(data["port"]),
        helper_python=str(data["helper_python"]),
        poll_ms=int(data["poll_ms"]),
    )


def _error(exc: IdCardError) -> dict[str, Any]:
    message = exc.message
    return {
        "ok": False,
        "error": {
            "context": message.context,
            "text": message.text,
            "args": {k: str(v) for k, v in message.args.items()},
            "detail": exc.detail,
        },
    }


def serve(requests: IO[str], answers: IO[str]) -> None:
    """Answer the parent's requests until ``close`` or the end of input."""
    from app.idcard.sdk import in_process_reader

    folder = Path.cwd()
    reader: IdCardReader | None = None
    try:
        for line in requests:
            request = json.loads(line)
            op = request.get("op")
            answer: dict[str, Any]
            try:
                if op == "open":
                    reader = in_process_reader(settings_from_json(request["settings"]), folder)
                    reader.open()
                    answer = {"ok": True}
                elif op == "poll" and reader is not None:
                    card = reader.poll()
                    answer = {"ok": True, "card": None if card is None else card_to_json(card)}
                elif op == "close":
                    answer = {"ok": True}
                else:  # a poll before a successful open, or a request of another version
                    raise IdCardError(
                        msg("idcard", "读卡辅助程序无法处理这个请求。请重新登录；仍不行请手工录入。"),
                        detail=f"request {op!r}",
                    )
            except IdCardError as exc:
                answer = _error(exc)
            answers.write(json.dumps(answer, ensure_ascii=False) + "\n")
            answers.flush()
            if op == "close":
                break
    finally:
        if reader is not None:
            reader.close()


#: The program's internal flag that runs :func:`main` in the frozen bundle (``yimen --idcard-host``).
HOST_FLAG = "--idcard-host"


def main() -> int:
    """The helper's entry point: a private working directory, stdout kept for the answers."""
    import shutil
    import tempfile

    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the vendor library prints goes to stderr, never into the answers
    sys.stdout = sys.stderr
    folder = tempfile.mkdtemp(prefix="yimen-idcard-")
    os.chdir(folder)
    try:
        serve(sys.stdin, answers)
    finally:
        os.chdir(os.path.dirname(folder))
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _program_root() -> Path:
    """The folder that holds the ``app`` package (the checkout, or the bundle's folder)."""
    return Path(__file__).resolve().parents[2]


class HelperReader(IdCardReader):
    """The SDK driver in the helper process (see the module's docstring)."""

    kind = DriverKind.SDK

    def __init__(self, settings: IdCardSettings) -> None:
        self.settings = settings
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def _command(self) -> list[str]:
        if self.settings.helper_python:
            return [self.settings.helper_python, "-m", "app.idcard.host"]
        if getattr(sys, "frozen", False):  # the bundle has no ``python -m``: the program itself serves (ui/__main__.py)
            return [sys.executable, HOST_FLAG]
        return [sys.executable, "-m", "app.idcard.host"]

    def open(self) -> None:
        root = _program_root()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
        try:
            self._process = subprocess.Popen(
                self._command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                cwd=root,
                env=env,
            )
        except OSError as exc:
            raise IdCardError(
                msg(
                    "idcard",
                    "无法启动读卡辅助程序（{python}）。请信息员检查部署文件中的 idcard.helper_python；现在请手工录入。",
                ).bind(python=self._command()[0]),
                detail=str(exc),
            ) from None
        self._ask({"op": "open", "settings": settings_to_json(self.settings)})

    def poll(self) -> CardData | None:
        answer = self._ask({"op": "poll"})
        card = answer.get("card")
        return None if card is None else card_from_json(card)

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            raise self._gone()
        with self._lock:
            try:
                process.stdin.write(json.dumps(request) + "\n")
                process.stdin.flush()
                line = process.stdout.readline()
            except (OSError, ValueError):
                line = ""
        if not line:
            raise self._gone()
        answer: dict[str, Any] = json.loads(line)
        if not answer.get("ok"):
            error = answer.get("error", {})
            message = msg(error.get("context") or "idcard", error.get("text") or "").bind(**error.get("args", {}))
            raise IdCardError(message, detail=str(error.get("detail", "")))
        return answer

    def _gone(self) -> IdCardError:
        code = None if self._process is None else self._process.poll()
        return IdCardError(
            msg("idcard", "读卡辅助程序意外退出。请重新插拔读卡器后重新登录；现在请手工录入。"),
            detail=f"helper exit code {code}",
        )

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.write(json.dumps({"op": "close"}) + "\n")
                process.stdin.close()
            process.wait(timeout=ANSWER_SECONDS)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        finally:
            if process.stdout is not None:
                process.stdout.close()


if __name__ == "__main__":
    sys.exit(main())
