"""``python -m bench.profiled_server OUT ARGS…``: the server (``python -m server ARGS…``) under cProfile in every
thread, written to OUT (pstats) when it stops.

``python -m cProfile`` profiles the main thread only, and the server stores a push in its thread pool
(server/api/sync.py, ``run_in_threadpool``): that profile showed start-up and the event loop, not the ingest.  Here
each new thread starts its own profiler at its first call, and all of them are merged at the end.
"""

from __future__ import annotations

import cProfile
import pstats
import runpy
import sys
import threading
from types import FrameType
from typing import Any


def main() -> None:
    out, args = sys.argv[1], sys.argv[2:]
    profiles: list[cProfile.Profile] = []
    lock = threading.Lock()

    def start(_frame: FrameType, _event: str, _arg: Any) -> None:
        # The first event of a new thread: from here on its own profiler records it.
        sys.setprofile(None)
        profile = cProfile.Profile()
        with lock:
            profiles.append(profile)
        profile.enable()

    threading.setprofile(start)
    first = cProfile.Profile()
    sys.argv = ["server", *args]
    first.enable()
    try:
        runpy.run_module("server", run_name="__main__", alter_sys=True)
    except (SystemExit, KeyboardInterrupt):  # uvicorn raises the SIGINT that stopped it again
        pass
    finally:
        first.disable()
        stats = pstats.Stats(first)
        with lock:
            for profile in profiles:
                stats.add(profile)
        stats.dump_stats(out)


if __name__ == "__main__":
    main()
