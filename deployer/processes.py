"""Stop a process together with the process group it leads (the CDK CLI, the local endpoint)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable

import psutil

POLL_S = 0.05
KILL_WAIT_S = 2.0  # after SIGKILL, how long to wait for the kernel to remove the processes


def stop_group(pid: int, grace_s: float) -> None:
    """SIGTERM ``pid``'s process group (``pid`` alone when it leads none), wait up to ``grace_s``
    for every member to exit, then SIGKILL what is left. A process already gone is no error."""
    try:
        leads_group = os.getpgid(pid) == pid
    except ProcessLookupError:
        return

    def send(signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signum) if leads_group else os.kill(pid, signum)

    def gone() -> bool:
        _reap(pid)
        return not (group_alive(pid) if leads_group else _alive(pid))

    send(signal.SIGTERM)
    if _wait(gone, grace_s):
        return
    send(signal.SIGKILL)
    _wait(gone, KILL_WAIT_S)


def _wait(done: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_S)
    return True


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie has stopped running)."""
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def group_alive(pgid: int) -> bool:
    """True while a process of group ``pgid`` runs (zombies waiting for their parent do not)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    for process in psutil.process_iter():
        with contextlib.suppress(OSError):
            if os.getpgid(process.pid) == pgid and _alive(process.pid):
                return True
    return False


def _reap(pid: int) -> None:
    """Collect ``pid``'s exit status if this process started it, or it lingers as a zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
