"""Stop a process together with the process group it leads (the CDK CLI, the local endpoint)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable

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
        try:
            os.killpg(pid, 0) if leads_group else os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

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


def _reap(pid: int) -> None:
    """Collect ``pid``'s exit status if this process started it, or it lingers as a zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
