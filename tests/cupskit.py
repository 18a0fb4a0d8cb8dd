"""A private CUPS print system for the printing tests: Debian's ``cupsd`` with cups-pdf queues, all under one
temporary folder, reached through ``CUPS_SERVER`` (a local socket) — the machine's own print system, if any, is
never asked or changed.

``cups`` and ``printer-driver-cups-pdf`` are installed by ``make deps``.  cups-pdf's backend runs only as root (its
file is ``0700 root``), so these tests need root, as CI runs them.  cups-pdf reads its settings from a fixed
``/etc/cups/cups-pdf.conf`` and then from the queue's PPD, whose values cannot hold a ``/``: each queue's PPD sets
the output, spool and log folders to names relative to the daemon's working folder, which is the private folder
(``cupsd -f`` keeps the folder it was started in, and its backends inherit it).  The output of a job is the PDF
that ghostscript writes from the job's PostScript, named ``…-job_<id>.pdf``.

libcups reads ``CUPS_SERVER`` once per thread, at the thread's first call: a process that already asked the print
system on a thread keeps that thread's answer.  The printing code asks on the renderer thread, which each test's
runner starts anew; a test that calls it directly does so on a new thread (:func:`on_new_thread`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PIL import Image, ImageChops

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
#: How long a job may take from submission to its PDF (PDF → PostScript → ghostscript on a loaded machine).
JOB_TIMEOUT = 60.0

T = TypeVar("T")

_CUPSD_CONF = """\
Listen {socket}
LogLevel warn
Browsing No
WebInterface No
DefaultAuthType None
MaxJobs 0
PreserveJobHistory Yes
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""

_FILES_CONF = """\
ServerRoot {root}/etc
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
SystemGroup root
FileDevice No
"""

# cups-pdf's own options, set in the queue's PPD (relative to the daemon's working folder: see the module docstring).
_CUPS_PDF_OPTIONS = {"Out": "out", "Spool": "pdfspool", "Log": "log", "AnonDirName": "out", "LowerCase": "0"}


class CupsError(RuntimeError):
    """The private print system could not be started or did not do what a test asked."""


def missing() -> str | None:
    """Why a private CUPS cannot run here (None when it can)."""
    for needed in (CUPSD, CUPS_PDF_PPD, CUPS_PDF_BACKEND):
        if not needed.exists():
            return f"{needed} is missing: run `make deps` (Debian packages cups and printer-driver-cups-pdf)"
    if os.geteuid() != 0:
        return "cups-pdf's backend runs only as root: run the CUPS printing tests as root (as CI does)"
    return None


def _ppd() -> str:
    lines = []
    for key, value in _CUPS_PDF_OPTIONS.items():
        lines += [f"*OpenUI *{key}/{key}: PickOne", f"*Default{key}: {value}", f"*CloseUI: *{key}"]
    text = CUPS_PDF_PPD.read_text(encoding="latin-1")
    return text.replace("*OpenGroup: General", "\n".join(lines) + "\n*OpenGroup: General", 1)


class PrivateCups:
    """One ``cupsd`` of its own: :meth:`start`, add queues, print, read the PDFs back, :meth:`stop`."""

    def __init__(self) -> None:
        # Short: a local socket's path has at most 107 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="yimen-cups-"))
        self.socket = self.root / "cups.sock"
        self.out = self.root / "out"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        """The environment of a client of this print system."""
        return {**os.environ, "CUPS_SERVER": str(self.socket), "LC_ALL": "C"}

    def start(self) -> None:
        reason = missing()
        if reason is not None:
            raise CupsError(reason)
        self.root.chmod(0o755)  # the filters run as lp and read the spool below it
        for folder in ("etc/ppd", "spool", "cache", "state", "tmp", "log", "out", "pdfspool"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").chmod(0o1777)  # and write their temporary files there
        (self.root / "cupsd.conf").write_text(_CUPSD_CONF.format(socket=self.socket), encoding="utf-8")
        (self.root / "cups-files.conf").write_text(_FILES_CONF.format(root=self.root), encoding="utf-8")
        (self.root / "cups-pdf.ppd").write_text(_ppd(), encoding="latin-1")
        with open(self.root / "log" / "cupsd.stderr", "wb") as stderr:  # the child keeps its own copy
            self._process = subprocess.Popen(
                [str(CUPSD), "-f", "-c", str(self.root / "cupsd.conf"), "-s", str(self.root / "cups-files.conf")],
                cwd=self.root,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )
        atexit.register(self.stop)  # a backstop when the test run ends without its fixtures' teardown
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise CupsError(f"cupsd exited with {self._process.returncode}: {self._log_tail()}")
            if self.socket.exists() and self.run("lpstat", "-r", check=False).returncode == 0:
                return
            time.sleep(0.05)
        self.stop()
        raise CupsError("cupsd did not answer within 30 s: " + self._log_tail())

    def stop(self) -> None:
        """Stop the daemon (and its jobs) and remove its folder; safe to call twice."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)

    def _log_tail(self) -> str:
        logs = [self.root / "log" / "cupsd.stderr", self.root / "log" / "error_log"]
        return " | ".join(p.read_text(errors="replace")[-2000:] for p in logs if p.exists())

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A CUPS client command (``lpadmin``, ``cupsdisable`` …) against this print system (found in the system's
        folders, whatever the test did to ``PATH``)."""
        program = shutil.which(command[0], path=SYSTEM_PATH) or command[0]
        env = {**self.env, "PATH": SYSTEM_PATH}
        done = subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True, timeout=60, check=False)
        if check and done.returncode != 0:
            raise CupsError(f"{' '.join(command)} failed: {done.stderr.strip()}")
        return done

    # ------------------------------------------------------------------ queues

    def add_printer(self, name: str, *, default: bool = False) -> None:
        """A cups-pdf queue, enabled and accepting jobs (A4 by default; a job's own page size wins)."""
        self.run("lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-P", str(self.root / "cups-pdf.ppd"))
        if default:
            self.run("lpadmin", "-d", name)

    def delete(self, name: str) -> None:
        self.run("lpadmin", "-x", name)

    def stop_queue(self, name: str, reason: str = "") -> None:
        self.run("cupsdisable", *(["-r", reason] if reason else []), name)

    def reject(self, name: str) -> None:
        self.run("cupsreject", name)

    def completed(self, name: str) -> list[int]:
        """The queue's finished jobs, by id."""
        out = self.run("lpstat", "-W", "completed", "-o", name, check=False).stdout
        return sorted(int(m.group(1)) for m in re.finditer(rf"^{re.escape(name)}-(\d+)\s", out, re.MULTILINE))

    def output(self, job: int) -> Path | None:
        """The PDF cups-pdf wrote for ``job`` (named by the job's title, then its id)."""
        found = sorted(self.out.glob(f"*job_{job}.pdf"))
        return found[0] if found else None

    def wait_output(self, name: str, count: int, *, timeout: float = JOB_TIMEOUT) -> list[bytes]:
        """The PDFs of the queue's first ``count`` jobs, in order, once they are finished."""
        deadline = time.monotonic() + timeout
        while True:
            paths = [self.output(job) for job in self.completed(name)[:count]]
            if len(paths) == count and all(p is not None for p in paths):
                return [p.read_bytes() for p in paths if p is not None]
            if time.monotonic() > deadline:
                raise CupsError(f"{name}: {len(paths)} of {count} job(s) printed in {timeout} s: {self._log_tail()}")
            time.sleep(0.2)


# ---------------------------------------------------------------------- reading a printed job back as images

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the page's top left (as pdfkit.words)


@dataclass(frozen=True)
class Page:
    """One page rendered by poppler's ``pdftoppm`` in colour, with fractions of its pixels measured in boxes."""

    image: Image.Image
    dpi: int

    @property
    def size_mm(self) -> tuple[float, float]:
        return self.image.width / self.dpi * 25.4, self.image.height / self.dpi * 25.4

    def _crop(self, box: Box | None) -> Image.Image:
        if box is None:
            return self.image
        scale = self.dpi / 72
        x0, y0, x1, y1 = (round(v * scale) for v in box)
        return self.image.crop((x0, y0, x1, y1))

    def ink(self, box: Box | None = None) -> float:
        """The share of dark pixels (any ink that is not a light tint)."""
        part = self._crop(box).convert("L").point(lambda v: 255 if v < 160 else 0)
        return part.histogram()[255] / max(1, part.width * part.height)

    def red(self, box: Box | None = None) -> float:
        """The share of red pixels (the seal's ink)."""
        r, g, b = self._crop(box).convert("RGB").split()
        strong = r.point(lambda v: 255 if v > 150 else 0)
        weak = ImageChops.lighter(g, b).point(lambda v: 255 if v < 120 else 0)
        both = ImageChops.multiply(strong, weak)
        return both.histogram()[255] / max(1, both.width * both.height)

    def ink_cells(self, cell_pt: float) -> set[tuple[int, int]]:
        """The cells of a ``cell_pt`` grid that hold some ink, a thin grey rule too (a page rasterised for the
        printer draws it lighter than poppler draws the vector line)."""
        cell = max(1, round(cell_pt * self.dpi / 72))
        dark = self.image.convert("L").point(lambda v: 255 if v < 200 else 0)
        small = dark.reduce(cell)  # the mean of each cell: above 0 where any pixel of it is dark
        means = small.tobytes()  # one byte a cell
        return {(i % small.width, i // small.width) for i, mean in enumerate(means) if mean > 8}


def pages(pdf: bytes, *, dpi: int = 100) -> list[Page]:
    """Every page of ``pdf`` rendered at ``dpi``."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(folder) / "p")], check=True)
        files = sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        result = []
        for file in files:
            with Image.open(file) as image:
                result.append(Page(image.convert("RGB"), dpi))
        return result


def same_layout(printed: Page, original: Page, *, cell_pt: float = 6) -> float:
    """How far the inked cells of two pages coincide: the share of each page's inked cells that the other page has
    inked too, at most one cell away (a thin grey rule may fall either side of a cell's edge), the lower of the two;
    1.0 for the same layout."""
    a, b = printed.ink_cells(cell_pt), original.ink_cells(cell_pt)

    def near(cells: set[tuple[int, int]], other: set[tuple[int, int]]) -> float:
        around = {(x + dx, y + dy) for x, y in other for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
        return len(cells & around) / max(1, len(cells))

    return min(near(a, b), near(b, a))


def on_new_thread(func: Callable[[], T]) -> T:
    """``func()`` on a thread of its own (libcups reads ``CUPS_SERVER`` afresh there: module docstring)."""
    result: list[T] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            result.append(func())
        except BaseException as exc:  # handed back to the caller
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


@contextlib.contextmanager
def private_cups() -> Iterator[PrivateCups]:
    """A started private print system, stopped and removed afterwards whatever happens."""
    cups = PrivateCups()
    try:
        cups.start()
        yield cups
    finally:
        cups.stop()
