"""Give freed memory back to the system, so a run's peak is what it holds, not what it once held.

On Linux with glibc, ``malloc`` serves a block of at least ``M_MMAP_THRESHOLD``
bytes (128 KiB at first) from its own mapping, returned to the system when
freed. The threshold is dynamic: each time such a block is freed it rises to
the block's size, up to 32 MiB, so after the first large numpy arrays and
pandas columns are freed, later ones come from the heap, where freed memory
stays with the process wherever a live block sits above it. A report builds
and drops many such arrays, so the process grew by hundreds of megabytes of
memory it no longer used (on three copies of PolNeAR, 849 MB against 709 MB with the
threshold fixed at 128 KiB, after the corpus tables).

:func:`keep_large_blocks_mapped` fixes the threshold at 4 MiB, which also stops
the dynamic rise of the heap's trim threshold: the large arrays, those that
matter for the peak, keep their own mappings, and the many smaller temporaries
stay on the heap. Fixed at glibc's initial 128 KiB, every temporary of more
than 128 KiB is a fresh mapping whose pages the kernel must fault in and zero:
on three copies of PolNeAR (one job, one run each) the peak was 920 MB with
128 KiB, 934 MB with 4 MiB and 957 MB with glibc's dynamic threshold, but
128 KiB cost 97 CPU seconds against 84 for the other two. Forked workers
inherit the setting. Elsewhere (another C library, or not Linux) it does
nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

#: glibc's ``mallopt`` parameter number of ``M_MMAP_THRESHOLD`` (malloc.h).
M_MMAP_THRESHOLD = -3
#: The threshold fixed (see the module notes for the measurements behind it).
MMAP_THRESHOLD = 4 * 1024 * 1024


def keep_large_blocks_mapped() -> bool:
    """Fix glibc's mmap threshold at :data:`MMAP_THRESHOLD`; return whether it was set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
