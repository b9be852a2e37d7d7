"""Worker processes that die with their parent, so a killed build leaves nothing behind.

A forked pool worker blocks reading its task queue; the pipe's write end is inherited by
every worker, so when the parent is killed (``kill -9``) the read never ends and the workers
stay forever, each holding a copy of the dictionary. On Linux the kernel is asked to kill the
worker when its parent dies (``prctl(PR_SET_PDEATHSIG)``); everywhere, a watchdog thread ends
the worker once its parent process id changes (an orphan is adopted by another process).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
WATCH_SECONDS = 0.5


def die_with_parent(parent: int) -> None:
    """Pool initializer: end this worker as soon as ``parent`` (who forked it) is gone."""
    ask_kernel()
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)
    watchdog = threading.Thread(target=watch, args=(parent,), name="orphan-watchdog", daemon=True)
    watchdog.start()


def ask_kernel() -> None:
    """Linux: have the kernel send SIGKILL to this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watchdog still works


def watch(parent: int) -> None:
    """Exit the process when it is no longer the child of ``parent`` (the portable way)."""
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
