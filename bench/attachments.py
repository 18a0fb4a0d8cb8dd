"""Materials' files (电子材料, issue 17): attaching a scan until its thumbnail shows, and the upload's throughput.

    QT_QPA_PLATFORM=offscreen python -m bench.attachments [--attaches 30] [--rounds 5] [--files 4]

attach: a 5 MB JPEG scan (A4 at 300 dpi, 2480 × 3508, noisy like a real scan, so it is kept byte for byte) attached
to a checklist line of the real materials panel (ui/intake/attachments.py) on a real SQLCipher store: from the call
that takes the chosen path to the thumbnail's icon set — reading the file, the type check, the decode (a damaged
file is refused), the encrypted write and the thumbnail on the database worker, then the icon on the GUI thread —
and the GUI thread's own CPU time meanwhile (what the window is not free for).  Each attach is a new scan
(other bytes), so none is found already stored.  A 600 dpi scan (downscaled to 3508 px first) is timed apart.
Goal: ≤ 300 ms.

upload: ``--files`` files of ~5 MB for a case, uploaded by ``upload_pending`` (1 MiB chunks, the real client and
the real server process on PostgreSQL), against raw HTTP PUTs of the same bytes (one request a file, the
documents' ``PUT /documents/{sha256}``, which keeps them in the same ``blobs`` table) in the same run, rounds
alternating.  The ratio is the raw PUTs' time over the upload's (goal ≥ 0.8).  Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import DEMO_DEPLOYMENT, Figures, deployment_file, git_revision, machine, machine_vault, ms


def scan_jpeg(width: int, height: int) -> bytes:
    """A scan-like JPEG: a white page with noise (a scanner's grain), at quality 95."""
    from PIL import Image

    noise = Image.frombytes("L", (width, height), os.urandom(width * height)).point(lambda v: 200 + v // 5)
    out = io.BytesIO()
    Image.merge("RGB", (noise, noise, noise)).save(out, "JPEG", quality=95)
    return out.getvalue()


def attach(attaches: int) -> dict[str, Figures | float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.attachments import AttachmentStore
    from app.bootstrap import open_services
    from ui.intake.attachments import AttachmentStrip
    from ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="yimen-bench-attach-") as tmp, machine_vault(Path(tmp) / "vault"):
        folder = Path(tmp)
        services = open_services(deployment_file(folder / "ws"), folder / "data")
        runner = TaskRunner()
        try:
            store = AttachmentStore(services.db)
            # As at the counter: the line's strip keeps its files on the runner's database worker.
            strip = AttachmentStrip(store, "material.bench", runner=runner)
            strip.resize(600, 80)
            strip.show()
            sizes: list[int] = []
            wall: list[float] = []
            ui_cpu: list[float] = []
            big: list[float] = []
            big_ui: list[float] = []

            def attach_one(path: Path) -> tuple[float, float]:
                """Wall time until the thumbnail is set, and the GUI thread's CPU time meanwhile (what the clerk
                waits for the window: the call, then the thumbnail set when the worker is done)."""
                strip.set_files([])
                loop = QEventLoop()
                strip.settled.connect(loop.quit)
                QTimer.singleShot(60_000, loop.quit)
                t, c = time.perf_counter(), time.thread_time()
                strip.attach_paths([path])
                if strip.attaching:
                    loop.exec()  # sleeps until the worker's result is delivered: no CPU of its own
                app.processEvents()
                elapsed, cpu = time.perf_counter() - t, time.thread_time() - c
                strip.settled.disconnect(loop.quit)
                assert len(strip.thumbs) == 1 and not strip.thumbs[0].icon().isNull()
                return elapsed, cpu

            for n in range(attaches + 1):
                path = folder / f"scan-{n}.jpg"
                path.write_bytes(scan_jpeg(2480, 3508))
                sizes.append(path.stat().st_size)
                elapsed, cpu = attach_one(path)
                if n:  # the first one warms the imports (Pillow's decoders, QtPdf)
                    wall.append(elapsed)
                    ui_cpu.append(cpu)
            for n in range(max(3, attaches // 5)):
                path = folder / f"scan600-{n}.jpg"
                path.write_bytes(scan_jpeg(4960, 7016))
                elapsed, cpu = attach_one(path)
                big.append(elapsed)
                big_ui.append(cpu)
            strip.close()
        finally:
            runner.shutdown()
            services.close()
    return {
        "attach 5 MB scan → thumbnail (wall)": Figures(wall),
        "attach 5 MB scan: GUI thread's CPU": Figures(ui_cpu),
        "attach 600 dpi scan, downscaled → thumbnail (wall)": Figures(big),
        "attach 600 dpi scan: GUI thread's CPU": Figures(big_ui),
        "scan size (MB)": sum(sizes) / len(sizes) / 1e6,
    }


def upload(rounds: int, files: int, chunk_bytes: int | None = None) -> dict[str, Any]:
    import requests
    from sqlalchemy.orm import Session

    from app.attachments import AttachmentLimits, AttachmentStore
    from app.bootstrap import open_services
    from app.demo import sample_draft, sample_ticks
    from app.domain import Decision, Role
    from app.intake.model import DecisionInput
    from app.security.accounts import create_user
    from app.sync import attachments as uploads
    from app.sync.credentials import CredentialStore
    from bench.sync import _MemoryKeyring, pg_database, server_process
    from server.services import devices
    from server.store.db import create_store_engine

    _MemoryKeyring().install()
    ours: list[float] = []
    raw: list[float] = []
    total = 0
    with (
        pg_database("attachments") as url,
        server_process(url) as base,
        tempfile.TemporaryDirectory(prefix="yimen-bench-upload-") as tmp,
        machine_vault(Path(tmp) / "vault"),
    ):
        folder = Path(tmp)
        # A demo workstation: a plain-HTTP server address is refused in production.
        config = folder / "yimen.toml"
        seal = (DEMO_DEPLOYMENT.parent / "seal.png").as_posix()
        text = DEMO_DEPLOYMENT.read_text(encoding="utf-8").replace('seal_image = "seal.png"', f'seal_image = "{seal}"')
        config.write_text(text.replace("http://127.0.0.1:8600", base), encoding="utf-8")
        services = open_services(config, folder / "data")
        try:
            engine = create_store_engine(url)
            with Session(engine) as session, session.begin():
                code = devices.create_enrollment_code(session, center_code="310104003", workstation_code="003", hours=1)
            engine.dispose()
            services.sync.enroll(code, base)
            credential = CredentialStore(services.vault).load()
            assert credential is not None
            with services.db.write() as session:
                clerk = create_user(
                    session,
                    username="wangli",
                    display_name="王丽",
                    staff_no="0301",
                    role=Role.CLERK,
                    password="counter-pass-1",
                    workstation_code=services.deployment.workstation_code,
                )
            store = AttachmentStore(services.db, AttachmentLimits(max_bytes=8 * 1024 * 1024))
            http = requests.Session()
            http.headers["Authorization"] = f"Bearer {credential.token}"
            client = services.sync._client()
            item = services.catalog.entry("MZ-SHJZ-002").item
            for _ in range(rounds):
                kept = [store.add(scan_jpeg(2480, 3508)) for _ in range(files)]
                draft = sample_draft(item, today=services.intake.clock().date())
                draft.materials = sample_ticks(services.intake.check(draft).materials, Decision.ACCEPT)
                draft.materials[0].attachments = tuple(k.sha256 for k in kept)
                services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)
                total += sum(k.size for k in kept)
                t = time.perf_counter()
                report = uploads.upload_pending(
                    services.db, client, services.intake.clock, chunk_bytes=chunk_bytes or uploads.CHUNK_BYTES
                )
                ours.append(time.perf_counter() - t)
                assert report.files == files and report.refused == 0
                # The same bytes, one raw PUT a file (the documents' endpoint; a new SHA-256: a byte appended).
                same = [store.read(k.sha256) + b"\n" for k in kept]
                t = time.perf_counter()
                for data in same:
                    sha = hashlib.sha256(data).hexdigest()
                    answer = http.put(
                        f"{base}/api/v1/documents/{sha}",
                        data=data,
                        headers={"Content-Type": "application/octet-stream"},
                        timeout=60,
                    )
                    answer.raise_for_status()
                raw.append(time.perf_counter() - t)
            client.close()
            http.close()
        finally:
            services.close()
    mb = total / rounds / 1e6
    return {
        "upload (1 MiB chunks)": Figures(ours),
        "raw PUT, one request a file": Figures(raw),
        "MB per round": mb,
        "ratio (raw time / upload time), median": sorted(r / o for r, o in zip(raw, ours, strict=True))[rounds // 2],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.attachments", description=__doc__.split("\n")[0])
    parser.add_argument("--attaches", type=int, default=30, help="5 MB scans attached")
    parser.add_argument("--rounds", type=int, default=5, help="upload rounds (each against raw PUTs)")
    parser.add_argument("--files", type=int, default=4, help="files per upload round")
    parser.add_argument("--chunk-kib", type=int, default=0, help="upload chunk size (default: the client's)")
    parser.add_argument("--only", nargs="+", choices=("attach", "upload"), default=["attach", "upload"])
    args = parser.parse_args(argv)
    print(f"revision {git_revision()}; machine: {machine()}; load average before: {os.getloadavg()}")
    if "attach" in args.only:
        for name, value in attach(args.attaches).items():
            if isinstance(value, Figures):
                print(f"{name}: median {ms(value.median)}, p95 {ms(value.p95)} (n={len(value.samples)})")
            else:
                print(f"{name}: {value:.2f}")
    if "upload" in args.only:
        for name, value in upload(args.rounds, args.files, args.chunk_kib * 1024 or None).items():
            if isinstance(value, Figures):
                print(f"{name}: median {ms(value.median)}, p95 {ms(value.p95)} (n={len(value.samples)})")
            else:
                print(f"{name}: {value:.2f}")
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
