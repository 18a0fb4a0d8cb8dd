"""Large blocks keep pages of their own for the whole day (ui/memory.keep_large_blocks_apart): glibc's moving
threshold would otherwise serve them from its heaps after the first one is freed, where what is freed between them
stays resident.  Each case runs in a fresh interpreter: the thresholds are the process's."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# After a 4 MiB block is freed, how a 1 MiB block is served: mallinfo2's ``hblks`` counts the blocks that have
# pages of their own (mmap), ``hblkhd`` their bytes.
PROBE = textwrap.dedent(
    """
    import ctypes, sys

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.mallinfo2.restype = MallInfo2
    if sys.argv[1] == "tuned":
        from ui.memory import keep_large_blocks_apart
        assert keep_large_blocks_apart() is True
    libc.free(libc.malloc(4 * 1024 * 1024))  # glibc raises its thresholds to 4 MiB here, unless told not to
    before = libc.mallinfo2().hblks
    block = libc.malloc(1024 * 1024)
    print(libc.mallinfo2().hblks - before)
    libc.free(block)
    """
)


def own_pages_of_a_later_block(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, timeout=120, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def test_a_large_block_after_a_larger_one_was_freed_gets_pages_of_its_own() -> None:
    assert own_pages_of_a_later_block("tuned") == 1


def test_without_it_glibc_serves_that_block_from_its_heap() -> None:
    # The control: what keep_large_blocks_apart changes (glibc's moving threshold, mallopt(3)).
    assert own_pages_of_a_later_block("default") == 0
